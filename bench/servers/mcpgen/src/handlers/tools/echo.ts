import type { EchoHandler } from "../../generated/contract.js";

/** Echo a message back. */
export const handler: EchoHandler = async ({ message }) => ({ message });
