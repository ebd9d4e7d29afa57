/** A path into the manifest value: object keys and array indexes, as ajv and the checks produce. */
export type JsonPath = readonly (string | number)[];

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * How a path reads in messages: `tools.get_forecast.input`, `prompts.p.messages[1]`,
 * `tools["my tool"]`. Names in mcp.yaml may contain `.` or `-`, so those are quoted too,
 * except the `-`, `.`-free common case, to keep messages unambiguous.
 */
export function formatPath(path: JsonPath): string {
  let out = '';
  for (const seg of path) {
    // ajv's pointers carry list indexes as digit strings; show them as indexes too.
    if (typeof seg === 'number' || /^(0|[1-9][0-9]*)$/.test(seg)) out += `[${seg}]`;
    else if (IDENTIFIER.test(seg) || /^[A-Za-z0-9_$-]+$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out === '' ? 'the manifest' : out;
}

/** Splits an ajv `instancePath` (`/tools/a~1b/input`) into segments, undoing JSON-pointer escapes. */
export function parseJsonPointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}
