import { ToolError } from "@mcpgen/runtime";
import type { GetUserHandler } from "../../generated/contract.js";
import type { UserProfile } from "../../generated/types.js";

const USERS: Record<string, UserProfile> = {
  "1": { name: "Alice", age: 30, email: "alice@example.com" },
  "2": { name: "Bob", age: 25 }, // email is optional in UserProfile
};

/** Get a user profile. Unknown ids are a tool error the model can read. */
export const handler: GetUserHandler = async ({ user_id }) => {
  const user = USERS[user_id];
  if (!user) throw new ToolError(`No user with id ${user_id}`);
  return user;
};
