import type { GreetingRead } from "../../generated/contract.js";

/** Contents of greeting://{name}. */
export const read: GreetingRead = async ({ name }) => `Hello, ${name}!`;
