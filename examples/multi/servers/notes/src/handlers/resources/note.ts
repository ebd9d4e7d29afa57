import type { CompletionHandler, NoteList, NoteRead } from "../../generated/contract.js";

/** Contents of note://{title}: the note's body. */
export const read: NoteRead = async ({ title }, _uri, ctx) => {
  const note = ctx.app.notebook.get(title);
  if (!note) throw new Error(`No note titled '${title}'`);
  return note.body;
};

/** Every note, for resources/list. */
export const list: NoteList = async (ctx) =>
  ctx.app.notebook.all().map((note) => ({
    uri: `note://${encodeURIComponent(note.title)}`,
    name: note.title,
    mimeType: "text/plain",
  }));

/** Titles that start with what the user typed. */
export const completeTitle: CompletionHandler = async (value, _context, ctx) =>
  ctx.app.notebook
    .all()
    .map((note) => note.title)
    .filter((title) => title.startsWith(value));
