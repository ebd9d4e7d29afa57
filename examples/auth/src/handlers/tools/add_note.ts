import type { AddNoteHandler } from "../../generated/contract.js";
import { addNote, subjectOf } from "../../notes.js";

/** Adds a note (the runtime has already checked the notes:write scope). */
export const handler: AddNoteHandler = async (input, ctx) => {
  const count = addNote(subjectOf(ctx.auth), input.text);
  return `Saved. You have ${count} note${count === 1 ? "" : "s"}.`;
};
