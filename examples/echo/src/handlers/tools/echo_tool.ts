import type { EchoToolHandler } from "../../generated/contract.js";

/** Echo a message as a tool. */
export const handler: EchoToolHandler = async ({ message }) => `Tool echo: ${message}`;
