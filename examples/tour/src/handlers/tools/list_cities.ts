import type { ListCitiesHandler } from "../../generated/contract.js";

/** Get a list of cities. The output is an array, so clients receive {result: [...]}. */
export const handler: ListCitiesHandler = async () => ["London", "Paris", "Tokyo"];
