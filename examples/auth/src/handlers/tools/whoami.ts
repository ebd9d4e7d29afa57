import type { WhoamiHandler } from "../../generated/contract.js";

/** Who the access token says you are. */
export const handler: WhoamiHandler = async (_input, ctx) => {
  // ctx.auth: what the verified token says (undefined on stdio, which has no tokens).
  const auth = ctx.auth;
  return {
    subject: auth?.subject,
    clientId: auth?.clientId,
    scopes: auth?.scopes ?? [],
    expiresAt: auth?.expiresAt,
  };
};
