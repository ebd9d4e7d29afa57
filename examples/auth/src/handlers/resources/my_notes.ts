import type { MyNotesRead } from "../../generated/contract.js";
import { notesOf, subjectOf } from "../../notes.js";

/** Contents of notes://mine: the caller's notes, one per line. */
export const read: MyNotesRead = async (_uri, ctx) => notesOf(subjectOf(ctx.auth)).join("\n");
