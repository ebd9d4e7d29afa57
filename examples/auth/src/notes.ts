/** Notes in memory, per caller: the token's subject (`ctx.auth.subject`). */
const bySubject = new Map<string, string[]>();

export const notesOf = (subject: string): string[] => bySubject.get(subject) ?? [];

export function addNote(subject: string, text: string): number {
  const notes = [...notesOf(subject), text];
  bySubject.set(subject, notes);
  return notes.length;
}

export function wipeAll(): number {
  let n = 0;
  for (const notes of bySubject.values()) n += notes.length;
  bySubject.clear();
  return n;
}

/** Who is calling. Over HTTP the runtime has checked the token; stdio has no token (a local user). */
export const subjectOf = (auth: { subject?: string; clientId?: string } | undefined): string => auth?.subject ?? auth?.clientId ?? "local";
