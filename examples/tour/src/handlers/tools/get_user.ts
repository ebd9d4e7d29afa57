import { notImplemented } from "@mcpgen/runtime";
import type { GetUserHandler } from "../../generated/contract.js";

/** Get a user profile - returns structured data. */
export const handler: GetUserHandler = async (input, ctx) => {
  throw notImplemented("Tool", "get_user", "src/handlers/tools/get_user.ts");
};
