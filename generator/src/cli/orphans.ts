import type { Orphan } from "../write/plan.js";

/**
 * What to say about a handler whose item left the manifest: it is kept (it is the
 * author's code), and the two ways out are named: the rename command when the item was
 * renamed (moving the code to the new name's file), else deleting the file.
 */
export function orphanLines(o: Orphan, configHint = ""): string[] {
  const cmd = (to: string) => `npx mcpgen rename ${o.kind} ${shellWord(o.name)} ${to === "<new name>" ? to : shellWord(to)}${configHint}`;
  const lines = [`${o.path} is an orphan: ${o.kind} '${o.name}' is no longer in mcp.yaml (your code is kept, but nothing serves it)`];
  if (o.renamedTo.length === 1) lines.push(`  renamed it to '${o.renamedTo[0]}'? ${cmd(o.renamedTo[0]!)}   (moves this code into the new name's file)`);
  else lines.push(`  renamed it? ${cmd("<new name>")}   (moves this code into the new name's file)`);
  lines.push(`  not needed? delete ${o.path}`);
  return lines;
}

/** A GitHub Actions annotation for an orphan (its message escaped as workflow commands require). */
export const orphanAnnotation = (o: Orphan, configHint = "") =>
  `::error file=${o.path},title=mcpgen orphan::${annotationText(`${o.kind} '${o.name}' is no longer in mcp.yaml. Renamed? npx mcpgen rename ${o.kind} ${shellWord(o.name)} <new name>${configHint}. Not needed? Delete the file.`)}`;

/** A name as one shell word: names are any text (`Dynamic Text Resource`), so quote unless plain. */
function shellWord(s: string): string {
  return /^[A-Za-z0-9_.\/-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

const annotationText = (s: string) => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
