import type { AddHandler } from "../../generated/contract.js";

/** Add two numbers. */
export const handler: AddHandler = async ({ a, b }) => ({ sum: a + b });
