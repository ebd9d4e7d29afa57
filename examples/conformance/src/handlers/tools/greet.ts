import type { GreetHandler } from "../../generated/contract.js";

/** Says hello (a plain tool, never a task) */
export const handler: GreetHandler = async (input) => `Hello, ${input.name}!`;
