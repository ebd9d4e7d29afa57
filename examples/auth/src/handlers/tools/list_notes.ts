import type { ListNotesHandler } from "../../generated/contract.js";
import { notesOf, subjectOf } from "../../notes.js";

/** Your notes. */
export const handler: ListNotesHandler = async (_input, ctx) => ({ notes: notesOf(subjectOf(ctx.auth)) });
