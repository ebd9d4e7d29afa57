/**
 * `mcpgen docs`: a reference of the server (tools, resources, templates, prompts, auth) built
 * from its surface. The content is built once as a small document tree, then rendered as
 * GitHub-flavoured Markdown (ready for a README) or as one self-contained HTML page; both
 * renderers escape everything the manifest's author wrote.
 */

import { htmlText, markdownCode, markdownProse, markdownText } from "../emit/escape.js";
import { cycleOf, isRecord, typeNameOf, typesOf, type SNode } from "./schema.js";
import type { Surface, SurfaceAuth, SurfacePrompt, SurfaceResource, SurfaceTemplate, SurfaceTool } from "./surface.js";

// ------------------------------------------------------------------ document tree

/** Inline content: text (escaped by renderers), code, strong text, links, or author prose. */
export type Inline =
  | string
  | { code: string }
  | { strong: Inline[] }
  | { link: string; content: Inline[] }
  /** Text the author wrote in mcp.yaml (descriptions): kept as written, line breaks included. */
  | { prose: string };

export type Block =
  | { heading: 1 | 2 | 3 | 4; id: string; content: Inline[] }
  | { para: Inline[] }
  | { prose: string }
  | { table: { head: string[]; rows: Inline[][][] } }
  | { list: { content: Inline[]; children?: { content: Inline[] }[] }[] }
  | { code: string; lang: string }
  | { details: string; blocks: Block[] };

export interface DocsDocument {
  title: string;
  blocks: Block[];
}

/**
 * GitHub's heading anchors (github-slugger): lower case, punctuation dropped, spaces to `-`,
 * `-1`, `-2`... for repeats. Markdown TOC links only work if these match what GitHub makes.
 */
export class Slugger {
  private occurrences = new Map<string, number>();
  slug(text: string): string {
    // A heading of punctuation only (a tool named `...`) would get no anchor at all.
    const base = text.toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, "").replace(/ /g, "-") || "section";
    let slug = base;
    while (this.occurrences.has(slug)) {
      const n = this.occurrences.get(base)! + 1;
      this.occurrences.set(base, n);
      slug = `${base}-${n}`;
    }
    this.occurrences.set(slug, 0);
    return slug;
  }
}

const plainText = (content: Inline[]): string =>
  content
    .map((c) => (typeof c === "string" ? c : "code" in c ? c.code : "prose" in c ? c.prose : "strong" in c ? plainText(c.strong) : plainText(c.content)))
    .join("");

// ------------------------------------------------------------------ building the document

interface Builder {
  blocks: Block[];
  slugger: Slugger;
  heading(level: 1 | 2 | 3 | 4, content: Inline[]): string;
}

/** The reference document of a server. */
export function buildDocs(surface: Surface): DocsDocument {
  const b: Builder = {
    blocks: [],
    slugger: new Slugger(),
    heading(level, content) {
      const id = this.slugger.slug(plainText(content));
      this.blocks.push({ heading: level, id, content });
      return id;
    },
  };
  const s = surface.server;
  const title = s.title ?? s.name;
  b.heading(1, [title]);
  if (s.description) b.blocks.push({ prose: s.description });
  const facts: Inline[][] = [[{ strong: ["Server name:"] }, " ", { code: s.name }], [{ strong: ["Version:"] }, " ", s.version]];
  if (s.websiteUrl) facts.push([{ strong: ["Website:"] }, " ", { link: s.websiteUrl, content: [s.websiteUrl] }]);
  b.blocks.push({ list: facts.map((content) => ({ content })) });

  // The contents list needs every anchor, so sections are built first, then the list is inserted.
  const tocAt = b.blocks.length;
  const toc: { content: Inline[]; children?: { content: Inline[] }[] }[] = [];
  const section = (name: string, items: { name: string }[] | undefined, build: () => void, itemIds: string[] = []) => {
    const id = b.heading(2, [name]);
    build();
    toc.push({
      content: [{ link: `#${id}`, content: [name] }, ...(items ? [` (${items.length})`] : [])],
      children: items && items.length > 0 ? items.map((it, i) => ({ content: [{ link: `#${itemIds[i]}`, content: [{ code: it.name }] }] })) : undefined,
    });
  };
  const bTocPlaceholder = b.slugger.slug("Contents");

  if (s.instructions) {
    section("Instructions", undefined, () => {
      b.blocks.push({ para: ["Sent to clients when they connect, for the model:"] });
      b.blocks.push({ code: s.instructions!.replace(/\n+$/, ""), lang: "text" });
    });
  }
  if (surface.auth) section("Authentication", undefined, () => authSection(b, surface.auth!, surface));

  const itemSection = <T extends { name: string }>(name: string, items: T[], render: (item: T) => void) => {
    if (items.length === 0) return;
    const ids: string[] = [];
    section(name, items, () => {
      for (const item of items) {
        ids.push(b.heading(3, [{ code: item.name }]));
        render(item);
      }
    }, ids);
  };
  itemSection("Tools", surface.tools, (t) => toolSection(b, t, surface));
  itemSection("Resources", surface.resources, (r) => resourceSection(b, r, surface));
  itemSection("Resource templates", surface.templates, (r) => templateSection(b, r, surface));
  itemSection("Prompts", surface.prompts, (p) => promptSection(b, p, surface));

  if (toc.length > 0) b.blocks.splice(tocAt, 0, { heading: 2, id: bTocPlaceholder, content: ["Contents"] }, { list: toc });
  return { title, blocks: b.blocks };
}

/** Title (bold) and description of an item, then its facts as a list. */
function intro(b: Builder, item: { title?: string; description?: string }, facts: Inline[][]): void {
  if (item.title) b.blocks.push({ para: [{ strong: [item.title] }] });
  if (item.description) b.blocks.push({ prose: item.description });
  if (facts.length > 0) b.blocks.push({ list: facts.map((content) => ({ content })) });
}

function commonFacts(item: { scopes: string[]; enabled: boolean }, surface: Surface, facts: Inline[][]): void {
  if (surface.auth && item.scopes.length > 0) facts.push([{ strong: ["Scopes:"] }, " ", ...joinInline(item.scopes.map((x) => ({ code: x })))]);
  if (!item.enabled) facts.push([{ strong: ["Disabled at start:"] }, " listed only once the server enables it at run time"]);
}

function joinInline(parts: Inline[], sep = ", "): Inline[] {
  return parts.flatMap((p, i) => (i === 0 ? [p] : [sep, p]));
}

function toolSection(b: Builder, t: SurfaceTool, surface: Surface): void {
  const facts: Inline[][] = [];
  const hints = annotationList(t);
  if (hints.length > 0) facts.push([{ strong: ["Hints:"] }, " ", hints.join(", ")]);
  commonFacts(t, surface, facts);
  if (t.taskSupport !== "forbidden") facts.push([{ strong: ["Tasks:"] }, " ", t.taskSupport === "required" ? "must be called as a task" : "may be called as a task"]);
  const asks: Inline[][] = [];
  if (t.sampling) asks.push(["sampling (the client's model)"]);
  if (t.roots) asks.push(["roots"]);
  for (const e of t.elicitations) asks.push([{ code: e.name }, ` (elicitation: ${JSON.stringify(e.message)})`]);
  if (asks.length > 0) facts.push([{ strong: ["Asks the client for:"] }, " ", ...asks.flatMap((a, i) => (i === 0 ? a : [", ", ...a]))]);
  intro(b, t, facts);

  b.blocks.push({ para: [{ strong: ["Input"] }] });
  schemaBlocks(b, t.input, "input", "No arguments.");
  if (t.wireOutput) {
    b.blocks.push({ para: [{ strong: ["Output"] }] });
    if (t.outputWrapped) {
      b.blocks.push({ para: ["Not an object, so clients receive it as ", { code: "structuredContent.result" }, "."] });
    }
    schemaBlocks(b, t.wireOutput, "output", "An empty object.");
  }
}

function annotationList(t: SurfaceTool): string[] {
  const a = t.annotations;
  const out: string[] = [];
  if (a.title) out.push(`title "${a.title}"`);
  if (a.readOnlyHint !== undefined) out.push(a.readOnlyHint ? "read-only" : "not read-only");
  if (a.destructiveHint !== undefined) out.push(a.destructiveHint ? "destructive" : "non-destructive");
  if (a.idempotentHint !== undefined) out.push(a.idempotentHint ? "idempotent" : "not idempotent");
  if (a.openWorldHint !== undefined) out.push(a.openWorldHint ? "open world" : "closed world");
  return out;
}

function resourceSection(b: Builder, r: SurfaceResource, surface: Surface): void {
  const facts: Inline[][] = [[{ strong: ["URI:"] }, " ", { code: r.uri }]];
  if (r.mimeType) facts.push([{ strong: ["MIME type:"] }, " ", { code: r.mimeType }]);
  if (r.subscribe) facts.push([{ strong: ["Subscribable:"] }, " clients may subscribe to updates"]);
  commonFacts(r, surface, facts);
  intro(b, r, facts);
}

function templateSection(b: Builder, r: SurfaceTemplate, surface: Surface): void {
  const facts: Inline[][] = [[{ strong: ["URI template:"] }, " ", { code: r.uriTemplate }]];
  if (r.mimeType) facts.push([{ strong: ["MIME type:"] }, " ", { code: r.mimeType }]);
  if (r.list) facts.push([{ strong: ["Listed:"] }, " its resources appear in resources/list"]);
  if (r.subscribe) facts.push([{ strong: ["Subscribable:"] }, " clients may subscribe to updates"]);
  commonFacts(r, surface, facts);
  intro(b, r, facts);
  const rows: Row[] = r.params.map((p) => ({ ...describe(p.schema), name: p.name, required: "yes", completion: p.complete ? "yes" : "" }));
  b.blocks.push({ para: [{ strong: ["Parameters"] }] });
  b.blocks.push(rowsTable(rows, ["Name", "Type", "Description", "Default", "Values", "Constraints", "Completion"]));
}

function promptSection(b: Builder, p: SurfacePrompt, surface: Surface): void {
  const facts: Inline[][] = [];
  commonFacts(p, surface, facts);
  intro(b, p, facts);
  b.blocks.push({ para: [{ strong: ["Arguments"] }] });
  if (p.arguments.length === 0) {
    b.blocks.push({ para: ["No arguments."] });
    return;
  }
  const rows: Row[] = p.arguments.map((a) => ({
    name: a.name,
    type: "string",
    required: a.required ? "yes" : "no",
    description: [a.title, a.description].filter(Boolean).join(": "),
    completion: a.complete ? "yes" : "",
  }));
  b.blocks.push(rowsTable(rows, ["Name", "Required", "Description", "Completion"]));
}

function authSection(b: Builder, a: SurfaceAuth, surface: Surface): void {
  b.blocks.push({ para: ["Over HTTP, every request needs an OAuth 2.1 bearer token (stdio is not protected)."] });
  const facts: Inline[][] = [];
  if (a.authorizationServers.length > 0) facts.push([{ strong: ["Authorization servers:"] }, " ", ...joinInline(a.authorizationServers.map((x) => ({ code: x })))]);
  if (a.resource) facts.push([{ strong: ["Resource:"] }, " ", { code: a.resource }, " (tokens must be issued for it)"]);
  if (a.audience) facts.push([{ strong: ["Audience:"] }, " ", { code: a.audience }]);
  facts.push([{ strong: ["Token check:"] }, " ", a.verifier]);
  facts.push([{ strong: ["Scopes for every request:"] }, " ", ...(a.scopes.length > 0 ? joinInline(a.scopes.map((x) => ({ code: x }))) : ["none"])]);
  b.blocks.push({ list: facts.map((content) => ({ content })) });
  const scoped = [
    ...surface.tools.map((t) => ["tool", t] as const),
    ...surface.resources.map((r) => ["resource", r] as const),
    ...surface.templates.map((r) => ["resource template", r] as const),
    ...surface.prompts.map((p) => ["prompt", p] as const),
  ].filter(([, it]) => it.scopes.length > 0);
  if (scoped.length > 0) {
    b.blocks.push({
      para: [
        "Items with scopes of their own ",
        a.hideUnauthorized ? "are hidden from callers whose token lacks them:" : "are listed for everyone, but calls without the scopes fail:",
      ],
    });
    const rows: Inline[][][] = scoped.map(([kind, it]) => [[{ code: it.name }], [kind], joinInline(it.scopes.map((x) => ({ code: x })))]);
    b.blocks.push({ table: { head: ["Item", "Kind", "Scopes"], rows } });
  }
}

// ------------------------------------------------------------------ schemas as tables

interface Row {
  name: string;
  type?: string;
  required?: string;
  /** Author prose. */
  description?: string;
  /** JSON. */
  default?: string;
  values?: Inline[];
  constraints?: Inline[];
  completion?: string;
}

const COLUMN_KEYS: Record<string, keyof Row> = {
  Name: "name",
  Type: "type",
  Required: "required",
  Description: "description",
  Default: "default",
  Values: "values",
  Constraints: "constraints",
  Completion: "completion",
};
/** Shown even when every row is empty. */
const ALWAYS = new Set(["Name", "Type", "Required"]);

function rowsTable(rows: Row[], columns: string[]): Block {
  const filled = (r: Row, c: string) => {
    const v = r[COLUMN_KEYS[c]!];
    return Array.isArray(v) ? v.length > 0 : v !== undefined && v !== "";
  };
  const shown = columns.filter((c) => ALWAYS.has(c) || rows.some((r) => filled(r, c)));
  const cell = (r: Row, c: string): Inline[] => {
    const v = r[COLUMN_KEYS[c]!];
    if (v === undefined || v === "") return [];
    if (Array.isArray(v)) return v;
    if (c === "Name" || c === "Default" || c === "Type") return [{ code: v }];
    if (c === "Description") return [{ prose: v }];
    return [v];
  };
  return { table: { head: shown, rows: rows.map((r) => shown.map((c) => cell(r, c))) } };
}

/** Keywords the tables do not show: a schema using one also gets its JSON in a details block. */
const UNSHOWN = ["allOf", "not", "if", "then", "else", "patternProperties", "dependentRequired", "dependentSchemas", "propertyNames", "unevaluatedProperties", "prefixItems", "contains", "unevaluatedItems"];

function schemaBlocks(b: Builder, schema: SNode, what: "input" | "output", empty: string): void {
  const rows: Row[] = [];
  objectRows(schema, "", rows, 0);
  if (rows.length === 0) b.blocks.push({ para: [empty] });
  else b.blocks.push(rowsTable(rows, ["Name", "Type", "Required", "Description", "Default", "Values", "Constraints"]));
  if (isRecord(schema) && schema.additionalProperties === false && what === "input") b.blocks.push({ para: ["No other arguments are accepted."] });
  if (usesUnshown(schema, 0)) {
    b.blocks.push({ details: `JSON Schema of the ${what}`, blocks: [{ code: JSON.stringify(schema, null, 2), lang: "json" }] });
  }
}

function usesUnshown(s: unknown, depth: number): boolean {
  if (depth > 32) return false;
  if (Array.isArray(s)) return s.some((x) => usesUnshown(x, depth + 1));
  if (!isRecord(s)) return false;
  if (UNSHOWN.some((k) => k in s)) return true;
  // anyOf/oneOf of objects cannot be shown as rows.
  for (const k of ["anyOf", "oneOf"]) if (Array.isArray(s[k]) && (s[k] as unknown[]).some((v) => isRecord(v) && "properties" in v)) return true;
  return Object.values(s).some((v) => usesUnshown(v, depth + 1));
}

/** One row per property, nested objects as `a.b`, arrays of objects as `a[].b`, maps as `a.*`. */
function objectRows(schema: SNode, prefix: string, rows: Row[], depth: number): void {
  if (!isRecord(schema) || cycleOf(schema) !== undefined || depth > 16) return;
  const props = isRecord(schema.properties) ? schema.properties : {};
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  for (const [name, prop] of Object.entries(props)) {
    const full = `${prefix}${name}`;
    rows.push({ ...describe(prop as SNode), name: full, required: required.has(name) ? "yes" : "no" });
    nestedRows(prop as SNode, full, rows, depth);
  }
  for (const name of required) {
    if (typeof name === "string" && !(name in props)) rows.push({ name: `${prefix}${name}`, type: "any", required: "yes" });
  }
  const extra = schema.additionalProperties;
  if (isRecord(extra) && Object.keys(extra).length > 0) {
    const full = `${prefix}*`;
    const d = describe(extra);
    rows.push({ ...d, name: full, required: "no", description: d.description ? `Any other key. ${d.description}` : "Any other key." });
    nestedRows(extra, full, rows, depth);
  }
}

function nestedRows(prop: SNode, full: string, rows: Row[], depth: number): void {
  if (!isRecord(prop)) return;
  if (isRecord(prop.properties) || isRecord(prop.additionalProperties)) objectRows(prop, `${full}.`, rows, depth + 1);
  else if (isRecord(prop.items) && (isRecord(prop.items.properties) || isRecord(prop.items.additionalProperties))) objectRows(prop.items, `${full}[].`, rows, depth + 1);
}

/** Type, description, default, values and constraints of one schema. */
function describe(s: SNode): Omit<Row, "name"> {
  if (typeof s === "boolean") return { type: s ? "any" : "never" };
  const row: Omit<Row, "name"> = { type: typeLabel(s, 0) };
  const desc = [s.title, s.description].filter((x): x is string => typeof x === "string" && x !== "");
  if (desc.length > 0) row.description = desc.join(": ");
  if (s.default !== undefined) row.default = JSON.stringify(s.default);
  const values = enumValues(s) ?? (isRecord(s.items) ? enumValues(s.items) : undefined);
  if (values) row.values = joinInline(values.map((v) => ({ code: JSON.stringify(v) })));
  const c = constraints(s);
  if (isRecord(s.items)) c.push(...constraints(s.items).map((x): Inline[] => ["items: ", ...x]));
  if (cycleOf(s) !== undefined || (isRecord(s.items) && cycleOf(s.items) !== undefined)) c.push(["recursive"]);
  if (c.length > 0) row.constraints = c.flatMap((x, i) => (i === 0 ? x : [", ", ...x]));
  return row;
}

function enumValues(s: Record<string, unknown>): unknown[] | undefined {
  return s.const !== undefined ? [s.const] : Array.isArray(s.enum) ? s.enum : undefined;
}

function constraints(s: Record<string, unknown>): Inline[][] {
  const out: Inline[][] = [];
  const num = (k: string, label: string) => typeof s[k] === "number" && out.push([`${label} ${s[k]}`]);
  num("minimum", "≥");
  num("exclusiveMinimum", ">");
  num("maximum", "≤");
  num("exclusiveMaximum", "<");
  num("multipleOf", "multiple of");
  num("minLength", "length ≥");
  num("maxLength", "length ≤");
  num("minItems", "items ≥");
  num("maxItems", "items ≤");
  num("minProperties", "keys ≥");
  num("maxProperties", "keys ≤");
  if (s.uniqueItems === true) out.push(["unique items"]);
  if (typeof s.format === "string") out.push([`format ${s.format}`]);
  if (typeof s.pattern === "string") out.push(["pattern ", { code: s.pattern }]);
  if (s.additionalProperties === false && isRecord(s.properties)) out.push(["no other keys"]);
  if (s.deprecated === true) out.push(["deprecated"]);
  return out;
}

function typeLabel(s: Record<string, unknown>, depth: number): string {
  const named = typeNameOf(s);
  if (cycleOf(s) !== undefined) return named ?? "object";
  let label: string;
  const types = typesOf(s);
  if (types !== undefined) {
    label = types.map((t) => (t === "array" ? arrayLabel(s, depth) : t)).join(" | ");
  } else if (enumValues(s)) {
    const jsonType = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v === "object" ? "object" : typeof v);
    label = [...new Set(enumValues(s)!.map(jsonType))].join(" | ");
  } else if (Array.isArray(s.anyOf) || Array.isArray(s.oneOf)) {
    const variants = (s.anyOf ?? s.oneOf) as unknown[];
    label = depth > 3 ? "any" : [...new Set(variants.map((v) => (isRecord(v) ? typeLabel(v, depth + 1) : v === false ? "never" : "any")))].join(" | ");
  } else if (isRecord(s.properties)) {
    label = "object";
  } else if (s.items !== undefined) {
    label = arrayLabel(s, depth);
  } else {
    label = "any";
  }
  return named && label === "object" ? `object (${named})` : label;
}

function arrayLabel(s: Record<string, unknown>, depth: number): string {
  if (!isRecord(s.items) || depth > 3) return "array";
  const inner = typeLabel(s.items, depth + 1);
  return inner.includes(" ") ? `(${inner})[]` : `${inner}[]`;
}

// ------------------------------------------------------------------ Markdown

function mdInline(content: Inline[], inTable = false): string {
  const out = content
    .map((c): string => {
      if (typeof c === "string") return markdownText(c);
      if ("code" in c) return markdownCode(inTable ? c.code.replace(/\n/g, " ") : c.code);
      if ("strong" in c) return `**${mdInline(c.strong, inTable)}**`;
      if ("link" in c) return `[${mdInline(c.content, inTable)}](${c.link.replace(/[()\s<>]/g, encodeURIComponent)})`;
      const prose = markdownProse(c.prose);
      return inTable ? prose.split(/\n\s*\n/).map((p) => p.replace(/\s*\n\s*/g, " ")).join("<br><br>") : prose;
    })
    .join("");
  // In a table even code spans need their pipes escaped (GFM splits cells first).
  return inTable ? out.replace(/(?<!\\)\|/g, "\\|") : out;
}

export function renderMarkdown(doc: DocsDocument): string {
  const parts = doc.blocks.map((block) => mdBlock(block));
  return `${parts.join("\n\n")}\n`;
}

function mdBlock(block: Block): string {
  if ("heading" in block) return `${"#".repeat(block.heading)} ${mdInline(block.content)}`;
  if ("para" in block) return mdInline(block.para);
  if ("prose" in block) return markdownProse(block.prose);
  if ("code" in block) {
    const runs = block.code.match(/^`{3,}/gm) ?? [];
    const fence = "`".repeat(Math.max(3, ...runs.map((r) => r.length + 1)));
    return `${fence}${block.lang}\n${block.code}\n${fence}`;
  }
  if ("list" in block) {
    return block.list
      .map((item) => [`- ${mdInline(item.content)}`, ...(item.children ?? []).map((c) => `  - ${mdInline(c.content)}`)].join("\n"))
      .join("\n");
  }
  if ("table" in block) {
    const { head, rows } = block.table;
    const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
    return [line(head.map((h) => markdownText(h))), line(head.map(() => "---")), ...rows.map((r) => line(r.map((c) => mdInline(c, true))))].join("\n");
  }
  return `<details>\n<summary>${htmlText(block.details)}</summary>\n\n${block.blocks.map(mdBlock).join("\n\n")}\n\n</details>`;
}

// ------------------------------------------------------------------ HTML

/** Author prose in HTML: escaped, paragraphs kept, single line breaks kept. */
function htmlProse(text: string): string {
  return text
    .trim()
    .split(/\n\s*\n/)
    .map((p) => htmlText(p).replace(/\n/g, "<br>"))
    .join("<br><br>");
}

function htmlInline(content: Inline[]): string {
  return content
    .map((c): string => {
      if (typeof c === "string") return htmlText(c);
      if ("code" in c) return `<code>${htmlText(c.code)}</code>`;
      if ("strong" in c) return `<strong>${htmlInline(c.strong)}</strong>`;
      if ("link" in c) {
        const safe = /^(https?:|mailto:|#)/i.test(c.link) ? c.link : "#";
        return `<a href="${htmlText(safe)}">${htmlInline(c.content)}</a>`;
      }
      return htmlProse(c.prose);
    })
    .join("");
}

function htmlBlock(block: Block): string {
  if ("heading" in block) return `<h${block.heading} id="${htmlText(block.id)}">${htmlInline(block.content)}</h${block.heading}>`;
  if ("para" in block) return `<p>${htmlInline(block.para)}</p>`;
  if ("prose" in block) {
    return block.prose
      .trim()
      .split(/\n\s*\n/)
      .map((p) => `<p>${htmlText(p).replace(/\n/g, "<br>")}</p>`)
      .join("\n");
  }
  if ("code" in block) return `<pre><code class="language-${htmlText(block.lang)}">${htmlText(block.code)}</code></pre>`;
  if ("list" in block) {
    const items = block.list.map((item) => {
      const children = item.children ? `\n<ul>\n${item.children.map((c) => `<li>${htmlInline(c.content)}</li>`).join("\n")}\n</ul>\n` : "";
      return `<li>${htmlInline(item.content)}${children}</li>`;
    });
    return `<ul>\n${items.join("\n")}\n</ul>`;
  }
  if ("table" in block) {
    const head = `<tr>${block.table.head.map((h) => `<th>${htmlText(h)}</th>`).join("")}</tr>`;
    const rows = block.table.rows.map((r) => `<tr>${r.map((c) => `<td>${htmlInline(c)}</td>`).join("")}</tr>`);
    return `<table>\n<thead>${head}</thead>\n<tbody>\n${rows.join("\n")}\n</tbody>\n</table>`;
  }
  return `<details>\n<summary>${htmlText(block.details)}</summary>\n${block.blocks.map(htmlBlock).join("\n")}\n</details>`;
}

const CSS = `
:root { color-scheme: light dark; --fg: #1f2328; --bg: #ffffff; --muted: #59636e; --line: #d1d9e0; --code: #f6f8fa; --link: #0969da; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --bg: #0d1117; --muted: #9198a1; --line: #3d444d; --code: #151b23; --link: #4493f8; } }
* { box-sizing: border-box; }
body { margin: 0; color: var(--fg); background: var(--bg); font: 16px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", Helvetica, Arial, sans-serif; }
main { max-width: 980px; margin: 0 auto; padding: 32px 24px 64px; }
h1, h2 { border-bottom: 1px solid var(--line); padding-bottom: .3em; }
h2 { margin-top: 2em; }
h3 { margin-top: 1.75em; }
a { color: var(--link); text-decoration: none; }
a:hover { text-decoration: underline; }
code, pre { font: 85% ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: var(--code); border-radius: 6px; }
code { padding: .15em .35em; }
pre { padding: 12px 16px; overflow: auto; }
pre code { padding: 0; background: none; }
table { border-collapse: collapse; margin: 8px 0 16px; display: block; overflow: auto; }
th, td { border: 1px solid var(--line); padding: 6px 12px; text-align: left; vertical-align: top; }
th { background: var(--code); }
details { margin: 8px 0 16px; }
summary { cursor: pointer; color: var(--muted); }
`.trim();

export function renderHtml(doc: DocsDocument): string {
  return [
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="generator" content="mcpgen">',
    `<title>${htmlText(doc.title)}</title>`,
    `<style>\n${CSS}\n</style>`,
    "</head>",
    "<body>",
    "<main>",
    ...doc.blocks.map(htmlBlock),
    "</main>",
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
