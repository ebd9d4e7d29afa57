import { notImplemented } from "@mcpgen/runtime";
import type { GetUserProfileRead } from "../../generated/contract.js";

/** Contents of users://{user_id}/profile. */
export const read: GetUserProfileRead = async (params, uri, ctx) => {
  throw notImplemented("Resource template", "get_user_profile", "src/handlers/resources/get_user_profile.ts");
};
