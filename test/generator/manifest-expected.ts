/**
 * What a server generated from a manifest must list, written down from the manifest contract
 * (docs/manifest.md) independently of the generator's code, so a test comparing the two can
 * catch the generator:
 *
 * - tools/list: `name`, `title`, `description`, `annotations`, `icons`, `_meta`, `execution` as
 *   written; `inputSchema` is `input` (default `{type: object}`) and `outputSchema` is `output`,
 *   wrapped as `{type: object, properties: {result: output}, required: [result]}` when the
 *   output is not an object schema; in both, `{$ref: "#/types/Name"}` is resolved: a reference
 *   at the root is replaced by the type (its siblings kept on top), every other referenced type
 *   (transitively, recursion included) goes into the schema's `$defs` under its own name, and
 *   each reference becomes `#/$defs/` + the same (escaped) segment. Nothing else changes.
 * - resources/list (static URIs) and resources/templates/list (RFC 6570 URIs): `uri` or
 *   `uriTemplate`, `name`, `title`, `description`, `mimeType`, `icons`, `annotations`, `_meta`,
 *   and `size` for static resources.
 * - prompts/list: `name`, `title`, `description`, `icons`, `_meta`, and `arguments` in the
 *   manifest's order as `{name, title, description, required}`.
 * - initialize: `serverInfo` from `server` (`name`, `version`, `title`, `description`,
 *   `websiteUrl`, `icons`) and `instructions`.
 *
 * The client negotiates 2025-11-25, where titles, icons and `execution` are all listed.
 * Lists are compared as sets (ordered by name or URI): the contract fixes no item order.
 */
import { dict, type Json, type JsonObject } from "./manifest-arbitraries.js";

const TYPE_PREFIX = "#/types/";

const isObj = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));
const pick = (o: JsonObject, keys: string[]) => dict(keys.filter((k) => Object.hasOwn(o, k)).map((k) => [k, clone(o[k])]));

/** The manifest type a `#/types/<segment>` reference names (pointer- and percent-decoded). */
function typeOfRef(ref: unknown): string | undefined {
  if (typeof ref !== "string" || !ref.startsWith(TYPE_PREFIX)) return undefined;
  const segment = ref.slice(TYPE_PREFIX.length);
  if (segment.includes("/")) return undefined;
  return decodeURIComponent(segment).replace(/~1/g, "/").replace(/~0/g, "~");
}

function visit(node: unknown, f: (o: JsonObject) => void): void {
  if (Array.isArray(node)) node.forEach((x) => visit(x, f));
  else if (isObj(node)) {
    f(node);
    Object.values(node).forEach((x) => visit(x, f));
  }
}

/** The wire schema of a manifest schema, per the rule in this module's comment. */
export function wireSchema(schema: Json, types: JsonObject): Json {
  if (!isObj(schema)) return clone(schema);
  let root = clone(schema) as JsonObject;
  const rootType = typeOfRef(root.$ref);
  if (rootType !== undefined && isObj(types[rootType])) {
    const siblings = Object.entries(root).filter(([k]) => k !== "$ref");
    root = dict([...Object.entries(clone(types[rootType] as JsonObject)), ...siblings]);
  }
  const needed = new Set<string>();
  const queue: Json[] = [root];
  while (queue.length > 0) {
    visit(queue.pop(), (o) => {
      const t = typeOfRef(o.$ref);
      if (t !== undefined && !needed.has(t) && Object.hasOwn(types, t)) {
        needed.add(t);
        queue.push(types[t]!);
      }
    });
  }
  if (needed.size === 0) return root;
  const defs: [string, Json][] = isObj(root.$defs) ? Object.entries(root.$defs) : [];
  for (const t of needed) defs.push([t, clone(types[t]!)]);
  const result = dict([...Object.entries(root).filter(([k]) => k !== "$defs"), ["$defs", dict(defs)]]);
  visit(result, (o) => {
    if (typeOfRef(o.$ref) !== undefined) o.$ref = `#/$defs/${(o.$ref as string).slice(TYPE_PREFIX.length)}`;
  });
  return result;
}

/** Whether an output is sent as is: an object schema, after following a root type reference. */
function isObjectOutput(schema: Json, types: JsonObject, seen = new Set<string>()): boolean {
  if (!isObj(schema)) return false;
  const t = typeOfRef(schema.$ref);
  if (t !== undefined) return !seen.has(t) && isObjectOutput(types[t] ?? null, types, seen.add(t));
  return schema.type === "object";
}

export interface ExpectedSurface {
  tools: JsonObject[];
  resources: JsonObject[];
  resourceTemplates: JsonObject[];
  prompts: JsonObject[];
  serverInfo: JsonObject;
  instructions?: string;
  /** Inline resource texts, by URI: what resources/read must return. */
  inlineTexts: Map<string, string>;
  /** Prompts served without code: the arguments to send and the messages prompts/get must return. */
  renderedPrompts: { name: string; args: Record<string, string>; messages: JsonObject[] }[];
}

/** The value sent for a prompt argument: hostile, and a mustache itself, so it must be inserted literally. */
export const promptArgValue = (name: string): string => `${name}=*/\`\${x}\u2028</script>{{x}}\\`;

/**
 * A template's text with each `{{name}}` replaced by the argument's value (no HTML escaping).
 * Only for the templates the arbitraries draw: no other braces, no backslashes, no blocks.
 */
const render = (template: string, args: Record<string, string>) =>
  template.replace(/\{\{([^{}]*)\}\}/g, (_, name: string) => args[name] ?? "");

const byKey = (key: string) => (a: JsonObject, b: JsonObject) => {
  const x = String(a[key]);
  const y = String(b[key]);
  return x < y ? -1 : x > y ? 1 : 0;
};

/** A URI with an RFC 6570 expression is a template. */
export const isTemplateUri = (uri: string): boolean => /\{[^}]*\}/.test(uri);

/** The surface a server generated from `manifest` must list. */
export function expectedSurface(manifest: JsonObject): ExpectedSurface {
  const types = (manifest.types as JsonObject | undefined) ?? {};
  const tools = Object.entries((manifest.tools as JsonObject | undefined) ?? {}).map(([name, t]) => {
    const tool = t as JsonObject;
    const entries: [string, unknown][] = [["name", name], ...Object.entries(pick(tool, ["title", "description", "annotations", "icons", "_meta", "execution"]))];
    entries.push(["inputSchema", wireSchema(tool.input ?? dict([["type", "object"]]), types)]);
    if (Object.hasOwn(tool, "output")) {
      const output = tool.output!;
      const wire = isObjectOutput(output, types)
        ? output
        : dict([["type", "object"], ["properties", dict([["result", output]])], ["required", ["result"]]]);
      entries.push(["outputSchema", wireSchema(wire, types)]);
    }
    return dict(entries);
  });
  const resources: JsonObject[] = [];
  const resourceTemplates: JsonObject[] = [];
  const inlineTexts = new Map<string, string>();
  for (const [name, r] of Object.entries((manifest.resources as JsonObject | undefined) ?? {})) {
    const res = r as JsonObject;
    const uri = String(res.uri);
    const common = Object.entries(pick(res, ["title", "description", "mimeType", "icons", "annotations", "_meta"]));
    if (isTemplateUri(uri)) {
      resourceTemplates.push(dict([["uriTemplate", uri], ["name", name], ...common]));
    } else {
      resources.push(dict([["uri", uri], ["name", name], ...common, ...Object.entries(pick(res, ["size"]))]));
      if (typeof res.text === "string") inlineTexts.set(uri, res.text);
    }
  }
  const prompts = Object.entries((manifest.prompts as JsonObject | undefined) ?? {}).map(([name, p]) => {
    const prompt = p as JsonObject;
    const entries: [string, unknown][] = [["name", name], ...Object.entries(pick(prompt, ["title", "description", "icons", "_meta"]))];
    const args = Object.entries((prompt.arguments as JsonObject | undefined) ?? {});
    if (args.length > 0) {
      entries.push(["arguments", args.map(([argName, a]) => dict([["name", argName], ...Object.entries(pick((a ?? {}) as JsonObject, ["title", "description", "required"]))]))]);
    }
    return dict(entries);
  });
  const renderedPrompts: ExpectedSurface["renderedPrompts"] = [];
  for (const [name, p] of Object.entries((manifest.prompts as JsonObject | undefined) ?? {})) {
    const prompt = p as JsonObject;
    const args = Object.fromEntries(Object.keys((prompt.arguments as JsonObject | undefined) ?? {}).map((a) => [a, promptArgValue(a)]));
    const text = (role: Json, t: string) => dict([["role", role], ["content", dict([["type", "text"], ["text", render(t, args)]])]]);
    if (typeof prompt.template === "string") renderedPrompts.push({ name, args, messages: [text("user", prompt.template)] });
    else if (Array.isArray(prompt.messages)) {
      renderedPrompts.push({ name, args, messages: (prompt.messages as JsonObject[]).map((m) => text(m.role!, String(m.text))) });
    }
  }
  const server = manifest.server as JsonObject;
  return {
    renderedPrompts,
    tools: tools.sort(byKey("name")),
    resources: resources.sort(byKey("uri")),
    resourceTemplates: resourceTemplates.sort(byKey("uriTemplate")),
    prompts: prompts.sort(byKey("name")),
    serverInfo: pick(server, ["name", "version", "title", "description", "websiteUrl", "icons"]),
    ...(typeof server.instructions === "string" ? { instructions: server.instructions } : {}),
    inlineTexts,
  };
}

/** A listed surface in the same order as `expectedSurface` (sets compared as sorted lists). */
export function sortedListing(listed: { tools: unknown[]; resources: unknown[]; resourceTemplates: unknown[]; prompts: unknown[] }) {
  return {
    tools: [...(listed.tools as JsonObject[])].sort(byKey("name")),
    resources: [...(listed.resources as JsonObject[])].sort(byKey("uri")),
    resourceTemplates: [...(listed.resourceTemplates as JsonObject[])].sort(byKey("uriTemplate")),
    prompts: [...(listed.prompts as JsonObject[])].sort(byKey("name")),
  };
}
