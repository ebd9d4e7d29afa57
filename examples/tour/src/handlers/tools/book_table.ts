import type { BookTableHandler } from "../../generated/contract.js";

/**
 * Book a table, asking the user to confirm first (the README's "Elicitation" example).
 * ctx.elicit.confirm() is typed from the `confirm` form in mcp.yaml (ConfirmBooking), and
 * the runtime checks the user's answer against that schema before it gets here.
 */
export const handler: BookTableHandler = async ({ date, party_size }, ctx) => {
  const answer = await ctx.elicit.confirm(`Confirm a table for ${party_size} on ${date}?`);
  switch (answer.action) {
    case "accept": {
      if (!answer.content?.confirm) return `[CANCELLED] Booking for ${date} not confirmed`;
      const notes = answer.content.notes ? ` (notes: ${answer.content.notes})` : "";
      return `[SUCCESS] Booked a table for ${party_size} on ${date}${notes}`;
    }
    case "decline":
      return "[DECLINED] The user declined to confirm the booking";
    case "cancel":
      return "[CANCELLED] The user dismissed the booking request";
  }
};
