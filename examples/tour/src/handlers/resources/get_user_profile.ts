import type { GetUserProfileRead } from "../../generated/contract.js";

/** Dynamic user data: users://{user_id}/profile. */
export const read: GetUserProfileRead = async ({ user_id }) => `Profile data for user ${user_id}`;
