import type { EchoResourceRead } from "../../generated/contract.js";

/** Contents of echo://{message}: the variable is decoded and typed from the template. */
export const read: EchoResourceRead = async ({ message }) => `Resource echo: ${message}`;
