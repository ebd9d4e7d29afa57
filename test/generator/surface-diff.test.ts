/**
 * `mcpgen diff`: every classification rule has its own case (old and new manifest, the rule
 * and severity expected), then $ref resolution, locations, the output formats, the git mode
 * and the exit codes.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { compareSurfaces, type Change } from "../../generator/src/surface/compare.js";
import { diffCommand } from "../../generator/src/surface/diff-command.js";
import { surfaceFromText } from "../../generator/src/surface/load.js";
import { RULE_NAMES, RULES, type ChangeSeverity, type RuleName } from "../../generator/src/surface/rules.js";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const FIXTURES = join(repoRoot, "test", "fixtures", "surface");
const UPDATE = process.env.UPDATE_GOLDENS === "1";

/** As in diagnostics.test.ts: `UPDATE_GOLDENS=1` rewrites the golden instead of comparing. */
function golden(file: string, actual: string): void {
  if (UPDATE) {
    writeFileSync(file, actual);
    return;
  }
  assert.ok(existsSync(file), `missing golden ${file}: run with UPDATE_GOLDENS=1 to create it`);
  assert.equal(actual, readFileSync(file, "utf8"), `output differs from ${file} (UPDATE_GOLDENS=1 rewrites it)`);
}

/** A manifest: the header plus `body` (YAML at the top level). */
const m = (body: string, server = "{ name: s, version: 1.0.0 }") => `version: 1\nserver: ${server}\n${body}\n`;

function surfaceOf(label: string, text: string) {
  const loaded = surfaceFromText(label, text, tmpdir());
  assert.ok(loaded.surface, `${label} must be valid:\n${loaded.diagnostics.map((d) => `${d.line}:${d.col} ${d.code} ${d.message}`).join("\n")}`);
  return loaded;
}

function changesOf(before: string, after: string): Change[] {
  return compareSurfaces(surfaceOf("old.yaml", before).surface!, surfaceOf("mcp.yaml", after).surface!);
}

const summary = (changes: Change[]) => changes.map((c) => `${c.severity} ${c.rule}: ${c.message}`).join("\n");

interface Case {
  rule: RuleName;
  severity: ChangeSeverity;
  /** Test name suffix when a rule has several cases. */
  variant?: string;
  before: string;
  after: string;
  /** Expected path of the change inside the item. */
  path?: string;
  /** A substring of the message. */
  message?: string;
}

const AUTH = "auth: { authorizationServers: [https://auth.example.com], resource: https://mcp.example.com/mcp";
const tool = (spec: string) => m(`tools:\n  t: ${spec}`);
const input = (props: string, extra = "") => tool(`{ input: { type: object, properties: { ${props} }${extra} } }`);
const output = (schema: string) => tool(`{ output: ${schema} }`);
const res = (spec: string) => m(`resources:\n  r: ${spec}`);
const tpl = (spec: string) => m(`resources:\n  r: ${spec}`);
const prompt = (args: string) => m(`prompts:\n  p: { arguments: { ${args} } }`);

const CASES: Case[] = [
  // server and auth
  { rule: "server-renamed", severity: "dangerous", before: m(""), after: m("", "{ name: s2, version: 1.0.0 }") },
  { rule: "title-changed", severity: "safe", variant: "server", before: m("", "{ name: s, version: 1.0.0, title: A }"), after: m("", "{ name: s, version: 1.0.0, title: B }") },
  { rule: "title-changed", severity: "safe", variant: "tool", before: tool("{ title: A }"), after: tool("{ title: B }") },
  { rule: "title-changed", severity: "safe", variant: "schema", before: input("a: { type: string, title: A }"), after: input("a: { type: string, title: B }"), path: "/input/properties/a" },
  { rule: "description-changed", severity: "safe", variant: "tool", before: tool("{ description: A }"), after: tool("{ description: B }") },
  { rule: "description-changed", severity: "safe", variant: "prompt argument", before: prompt("a: { description: A }"), after: prompt("a: { description: B }"), path: "/arguments/a" },
  { rule: "instructions-changed", severity: "safe", before: m("", "{ name: s, version: 1.0.0, instructions: A }"), after: m("", "{ name: s, version: 1.0.0, instructions: B }") },
  { rule: "metadata-changed", severity: "safe", before: m(""), after: m("", "{ name: s, version: 2.0.0 }"), message: '"1.0.0" -> "2.0.0"' },
  { rule: "auth-added", severity: "breaking", before: m(""), after: m(`${AUTH} }`) },
  { rule: "auth-removed", severity: "safe", before: m(`${AUTH} }`), after: m("") },
  {
    rule: "auth-issuer-removed",
    severity: "breaking",
    before: m("auth: { authorizationServers: [https://a.example.com, https://b.example.com] }"),
    after: m("auth: { authorizationServers: [https://a.example.com] }"),
    message: "https://b.example.com",
  },
  {
    rule: "auth-issuer-added",
    severity: "safe",
    before: m("auth: { authorizationServers: [https://a.example.com] }"),
    after: m("auth: { authorizationServers: [https://a.example.com, https://b.example.com] }"),
  },
  { rule: "auth-resource-changed", severity: "breaking", before: m(`${AUTH} }`), after: m("auth: { authorizationServers: [https://auth.example.com], resource: https://other.example.com/mcp }") },
  { rule: "auth-verifier-changed", severity: "dangerous", variant: "verifier", before: m(`${AUTH} }`), after: m(`${AUTH}, verifier: custom }`) },
  { rule: "auth-verifier-changed", severity: "dangerous", variant: "algorithms", before: m(`${AUTH}, algorithms: [RS256] }`), after: m(`${AUTH}, algorithms: [ES256] }`) },
  { rule: "scope-added", severity: "breaking", variant: "server", before: m(`${AUTH} }`), after: m(`${AUTH}, scopes: [mcp] }`), message: "every request now needs scope `mcp`" },
  {
    rule: "scope-added",
    severity: "breaking",
    variant: "tool",
    before: m(`${AUTH} }\ntools:\n  t: { scopes: [a] }`),
    after: m(`${AUTH} }\ntools:\n  t: { scopes: [a, b] }`),
    message: "tool `t` now needs scope `b`",
  },
  { rule: "scope-removed", severity: "safe", variant: "server", before: m(`${AUTH}, scopes: [mcp] }`), after: m(`${AUTH} }`) },
  { rule: "scope-removed", severity: "safe", variant: "prompt", before: m(`${AUTH} }\nprompts:\n  p: { scopes: [a] }`), after: m(`${AUTH} }\nprompts:\n  p: {}`) },
  // any item
  { rule: "item-disabled", severity: "dangerous", before: tool("{}"), after: tool("{ enabled: false }") },
  { rule: "item-enabled", severity: "safe", before: res("{ uri: x://a, enabled: false }"), after: res("{ uri: x://a }") },
  { rule: "completion-removed", severity: "dangerous", variant: "prompt", before: prompt("a: { complete: true }"), after: prompt("a: {}"), path: "/arguments/a" },
  { rule: "completion-removed", severity: "dangerous", variant: "template", before: tpl("{ uri: 'x://{id}', complete: [id] }"), after: tpl("{ uri: 'x://{id}' }"), path: "/params/id" },
  { rule: "completion-added", severity: "safe", before: prompt("a: {}"), after: prompt("a: { complete: true }") },
  // tools
  { rule: "tool-removed", severity: "breaking", before: m("tools:\n  t: {}\n  u: {}"), after: m("tools:\n  t: {}"), message: "tool `u` was removed" },
  { rule: "tool-added", severity: "safe", before: m("tools:\n  t: {}"), after: m("tools:\n  t: {}\n  u: {}") },
  { rule: "tool-no-longer-read-only", severity: "dangerous", before: tool("{ annotations: { readOnlyHint: true } }"), after: tool("{ annotations: { readOnlyHint: false, destructiveHint: false } }") },
  { rule: "tool-became-destructive", severity: "dangerous", variant: "explicit", before: tool("{ annotations: { destructiveHint: false } }"), after: tool("{ annotations: { destructiveHint: true } }") },
  { rule: "tool-became-destructive", severity: "dangerous", variant: "by default", before: tool("{ annotations: { destructiveHint: false } }"), after: tool("{}"), message: "by default" },
  { rule: "tool-no-longer-idempotent", severity: "dangerous", before: tool("{ annotations: { idempotentHint: true } }"), after: tool("{ annotations: { idempotentHint: false } }") },
  { rule: "tool-became-open-world", severity: "dangerous", before: tool("{ annotations: { openWorldHint: false } }"), after: tool("{}") },
  { rule: "tool-annotation-changed", severity: "safe", variant: "cautious direction", before: tool("{ annotations: { destructiveHint: true } }"), after: tool("{ annotations: { destructiveHint: false } }") },
  { rule: "tool-annotation-changed", severity: "safe", variant: "title", before: tool("{ annotations: { title: A } }"), after: tool("{ annotations: { title: B } }") },
  { rule: "task-support-narrowed", severity: "breaking", before: tool("{ execution: { taskSupport: optional } }"), after: tool("{ execution: { taskSupport: required } }") },
  { rule: "task-support-widened", severity: "safe", before: tool("{}"), after: tool("{ execution: { taskSupport: optional } }") },
  { rule: "client-request-added", severity: "dangerous", variant: "sampling", before: tool("{}"), after: tool("{ sampling: true }"), message: "sampling" },
  {
    rule: "client-request-added",
    severity: "dangerous",
    variant: "elicitation",
    before: tool("{}"),
    after: tool("{ elicit: { ok: { message: Sure?, schema: { type: object, properties: { ok: { type: boolean } } } } } }"),
    message: "elicitation",
  },
  { rule: "client-request-removed", severity: "safe", before: tool("{ roots: true }"), after: tool("{}") },
  // tool input
  { rule: "required-input-added", severity: "breaking", before: input("a: { type: string }"), after: input("a: { type: string }, b: { type: string }", ", required: [b]"), path: "/input/properties/b" },
  { rule: "optional-input-added", severity: "safe", before: input("a: { type: string }"), after: input("a: { type: string }, b: { type: string }"), path: "/input/properties/b" },
  { rule: "input-property-removed", severity: "dangerous", variant: "open object", before: input("a: { type: string }, b: { type: string }"), after: input("a: { type: string }"), path: "/input/properties/b" },
  {
    rule: "input-property-removed",
    severity: "breaking",
    variant: "closed object",
    before: input("a: { type: string }, b: { type: string }", ", additionalProperties: false"),
    after: input("a: { type: string }", ", additionalProperties: false"),
    message: "closed",
  },
  { rule: "input-made-required", severity: "breaking", before: input("a: { type: string }"), after: input("a: { type: string }", ", required: [a]"), path: "/input/properties/a" },
  { rule: "input-made-optional", severity: "safe", before: input("a: { type: string }", ", required: [a]"), after: input("a: { type: string }") },
  { rule: "input-type-narrowed", severity: "breaking", variant: "number to integer", before: input("a: { type: number }"), after: input("a: { type: integer }"), message: "type number -> integer" },
  { rule: "input-type-narrowed", severity: "breaking", variant: "changed", before: input("a: { type: string }"), after: input("a: { type: boolean }") },
  { rule: "input-type-narrowed", severity: "breaking", variant: "null dropped", before: input("a: { type: [string, 'null'] }"), after: input("a: { type: string }") },
  { rule: "input-type-widened", severity: "safe", before: input("a: { type: integer }"), after: input("a: { type: [number, 'null'] }") },
  // tool output
  { rule: "output-schema-added", severity: "safe", before: tool("{}"), after: output("{ type: object, properties: { a: { type: string } } }") },
  { rule: "output-schema-removed", severity: "breaking", before: output("{ type: object }"), after: tool("{}") },
  { rule: "output-property-added", severity: "safe", before: output("{ type: object, properties: { a: { type: string } } }"), after: output("{ type: object, properties: { a: { type: string }, b: { type: string } } }") },
  {
    rule: "output-property-removed",
    severity: "breaking",
    variant: "required",
    before: output("{ type: object, properties: { a: { type: string }, b: { type: string } }, required: [a, b] }"),
    after: output("{ type: object, properties: { a: { type: string } }, required: [a] }"),
    path: "/output/properties/b",
  },
  {
    rule: "output-property-removed",
    severity: "dangerous",
    variant: "optional",
    before: output("{ type: object, properties: { a: { type: string }, b: { type: string } } }"),
    after: output("{ type: object, properties: { a: { type: string } } }"),
    message: "optional",
  },
  { rule: "output-property-made-optional", severity: "breaking", before: output("{ type: object, properties: { a: { type: string } }, required: [a] }"), after: output("{ type: object, properties: { a: { type: string } } }") },
  { rule: "output-property-made-required", severity: "safe", before: output("{ type: object, properties: { a: { type: string } } }"), after: output("{ type: object, properties: { a: { type: string } }, required: [a] }") },
  { rule: "output-type-changed", severity: "breaking", variant: "wrapped", before: output("{ type: number }"), after: output("{ type: string }"), path: "/output/properties/result" },
  { rule: "output-type-changed", severity: "breaking", variant: "widened", before: output("{ type: object, properties: { a: { type: integer } } }"), after: output("{ type: object, properties: { a: { type: number } } }") },
  { rule: "output-type-narrowed", severity: "safe", before: output("{ type: object, properties: { a: { type: [string, 'null'] } } }"), after: output("{ type: object, properties: { a: { type: string } } }") },
  // schema rules on both sides
  { rule: "enum-value-removed", severity: "breaking", variant: "input", before: input("a: { enum: [x, y] }"), after: input("a: { enum: [x] }"), message: 'allowed value "y" removed' },
  { rule: "enum-value-removed", severity: "safe", variant: "output", before: output("{ type: object, properties: { a: { enum: [x, y] } } }"), after: output("{ type: object, properties: { a: { enum: [x] } } }") },
  { rule: "enum-value-added", severity: "safe", variant: "input", before: input("a: { enum: [x] }"), after: input("a: { enum: [x, y] }") },
  { rule: "enum-value-added", severity: "dangerous", variant: "output", before: output("{ type: object, properties: { a: { enum: [x] } } }"), after: output("{ type: object, properties: { a: { enum: [x, y] } } }") },
  { rule: "enum-value-added", severity: "safe", variant: "const to enum", before: input("a: { const: x }"), after: input("a: { enum: [x, y] }") },
  { rule: "constraint-tightened", severity: "breaking", variant: "minLength", before: input("a: { type: string, minLength: 1 }"), after: input("a: { type: string, minLength: 3 }"), message: "minLength 1 -> 3" },
  { rule: "constraint-tightened", severity: "breaking", variant: "maximum added", before: input("a: { type: number }"), after: input("a: { type: number, maximum: 10 }") },
  { rule: "constraint-tightened", severity: "breaking", variant: "pattern", before: input("a: { type: string }"), after: input("a: { type: string, pattern: '^[a-z]+$' }") },
  { rule: "constraint-tightened", severity: "breaking", variant: "format", before: input("a: { type: string }"), after: input("a: { type: string, format: email }") },
  { rule: "constraint-tightened", severity: "breaking", variant: "enum added", before: input("a: { type: string }"), after: input("a: { type: string, enum: [x] }") },
  { rule: "constraint-tightened", severity: "breaking", variant: "multipleOf", before: input("a: { type: number, multipleOf: 2 }"), after: input("a: { type: number, multipleOf: 3 }") },
  { rule: "constraint-tightened", severity: "breaking", variant: "uniqueItems", before: input("a: { type: array }"), after: input("a: { type: array, uniqueItems: true }") },
  { rule: "constraint-tightened", severity: "breaking", variant: "additionalProperties", before: input("a: { type: string }"), after: input("a: { type: string }", ", additionalProperties: false"), path: "/input" },
  { rule: "constraint-tightened", severity: "safe", variant: "output", before: output("{ type: object, properties: { a: { type: string } } }"), after: output("{ type: object, properties: { a: { type: string, maxLength: 5 } } }") },
  { rule: "constraint-loosened", severity: "safe", variant: "input", before: input("a: { type: integer, maximum: 5 }"), after: input("a: { type: integer, maximum: 9 }") },
  { rule: "constraint-loosened", severity: "safe", variant: "multipleOf divides", before: input("a: { type: number, multipleOf: 4 }"), after: input("a: { type: number, multipleOf: 2 }") },
  { rule: "constraint-loosened", severity: "dangerous", variant: "output", before: output("{ type: object, properties: { a: { type: string, maxLength: 5 } } }"), after: output("{ type: object, properties: { a: { type: string } } }") },
  { rule: "variant-added", severity: "safe", variant: "input", before: input("a: { anyOf: [{ type: string }] }"), after: input("a: { anyOf: [{ type: string }, { type: number }] }") },
  {
    rule: "variant-added",
    severity: "dangerous",
    variant: "output",
    before: output("{ type: object, properties: { a: { oneOf: [{ type: string }] } } }"),
    after: output("{ type: object, properties: { a: { oneOf: [{ type: string }, { type: number }] } } }"),
  },
  { rule: "variant-removed", severity: "breaking", variant: "input", before: input("a: { anyOf: [{ type: string }, { type: number }] }"), after: input("a: { anyOf: [{ type: string }] }") },
  {
    rule: "variant-removed",
    severity: "safe",
    variant: "output",
    before: output("{ type: object, properties: { a: { anyOf: [{ type: string }, { type: number }] } } }"),
    after: output("{ type: object, properties: { a: { anyOf: [{ type: string }] } } }"),
  },
  { rule: "default-changed", severity: "dangerous", variant: "input", before: input("a: { type: integer, default: 3 }"), after: input("a: { type: integer, default: 5 }"), message: "default 3 -> 5" },
  { rule: "default-changed", severity: "safe", variant: "output", before: output("{ type: object, properties: { a: { type: integer, default: 3 } } }"), after: output("{ type: object, properties: { a: { type: integer } } }") },
  { rule: "schema-changed", severity: "dangerous", before: input("a: { type: string }"), after: input("a: { type: string }", ", not: { required: [a] }") },
  { rule: "schema-annotation-changed", severity: "safe", before: input("a: { type: string }"), after: input("a: { type: string, deprecated: true, examples: [x] }") },
  // resources and templates
  { rule: "resource-removed", severity: "breaking", before: res("{ uri: x://a }"), after: m("") },
  { rule: "resource-added", severity: "safe", before: m(""), after: res("{ uri: x://a }") },
  { rule: "resource-renamed", severity: "dangerous", variant: "resource", before: res("{ uri: x://a }"), after: m("resources:\n  r2: { uri: x://a }") },
  { rule: "resource-renamed", severity: "dangerous", variant: "template", before: tpl("{ uri: 'x://{id}' }"), after: m("resources:\n  r2: { uri: 'x://{id}' }") },
  { rule: "resource-uri-changed", severity: "breaking", before: res("{ uri: x://a }"), after: res("{ uri: x://b }") },
  { rule: "mime-type-changed", severity: "dangerous", before: res("{ uri: x://a, mimeType: text/plain }"), after: res("{ uri: x://a, mimeType: application/json }") },
  { rule: "subscribe-removed", severity: "dangerous", before: res("{ uri: x://a, subscribe: true }"), after: res("{ uri: x://a }") },
  { rule: "subscribe-added", severity: "safe", before: tpl("{ uri: 'x://{id}' }"), after: tpl("{ uri: 'x://{id}', subscribe: true }") },
  { rule: "template-removed", severity: "breaking", before: tpl("{ uri: 'x://{id}' }"), after: m("") },
  { rule: "template-added", severity: "safe", before: m(""), after: tpl("{ uri: 'x://{id}' }") },
  { rule: "template-uri-changed", severity: "breaking", before: tpl("{ uri: 'x://{id}' }"), after: tpl("{ uri: 'x://items/{id}' }") },
  { rule: "template-param-added", severity: "breaking", before: tpl("{ uri: 'x://{id}' }"), after: tpl("{ uri: 'x://{id}/{part}' }"), path: "/params/part" },
  { rule: "template-param-removed", severity: "breaking", before: tpl("{ uri: 'x://{id}/{part}' }"), after: tpl("{ uri: 'x://{id}' }"), path: "/params/part" },
  { rule: "template-listing-removed", severity: "dangerous", before: tpl("{ uri: 'x://{id}', list: true }"), after: tpl("{ uri: 'x://{id}' }") },
  { rule: "template-listing-added", severity: "safe", before: tpl("{ uri: 'x://{id}' }"), after: tpl("{ uri: 'x://{id}', list: true }") },
  {
    rule: "constraint-tightened",
    severity: "breaking",
    variant: "template param",
    before: tpl("{ uri: 'x://{id}' }"),
    after: tpl("{ uri: 'x://{id}', params: { id: { type: string, pattern: '^[0-9]+$' } } }"),
    path: "/params/id",
  },
  // prompts
  { rule: "prompt-removed", severity: "breaking", before: prompt(""), after: m("") },
  { rule: "prompt-added", severity: "safe", before: m(""), after: prompt("") },
  { rule: "prompt-argument-required-added", severity: "breaking", before: prompt("a: {}"), after: prompt("a: {}, b: { required: true }"), path: "/arguments/b" },
  { rule: "prompt-argument-added", severity: "safe", before: prompt("a: {}"), after: prompt("a: {}, b: {}") },
  { rule: "prompt-argument-removed", severity: "dangerous", before: prompt("a: {}, b: {}"), after: prompt("a: {}") },
  { rule: "prompt-argument-made-required", severity: "breaking", before: prompt("a: {}"), after: prompt("a: { required: true }") },
  { rule: "prompt-argument-made-optional", severity: "safe", before: prompt("a: { required: true }"), after: prompt("a: { required: false }") },
];

describe("diff rules", () => {
  for (const c of CASES) {
    test(`${c.rule}${c.variant ? ` (${c.variant})` : ""}`, () => {
      const changes = changesOf(c.before, c.after);
      const hit = changes.find((x) => x.rule === c.rule && (c.path === undefined || x.path === c.path) && (c.message === undefined || x.message.includes(c.message)));
      assert.ok(hit, `expected ${c.rule}${c.path ? ` at ${c.path}` : ""}, got:\n${summary(changes)}`);
      assert.equal(hit.severity, c.severity, summary(changes));
    });
  }

  test("every rule has a case, and docs/diff.md documents every rule", () => {
    const covered = new Set(CASES.map((c) => c.rule));
    assert.deepEqual(RULE_NAMES.filter((r) => !covered.has(r)), []);
    const doc = readFileSync(join(repoRoot, "docs", "diff.md"), "utf8");
    for (const rule of RULE_NAMES) {
      const row = doc.split("\n").find((l) => l.startsWith(`| \`${rule}\` |`));
      assert.ok(row, `docs/diff.md has no table row for ${rule}`);
      const sev = RULES[rule].severity;
      for (const s of typeof sev === "string" ? [sev] : [sev.input, sev.output]) assert.ok(row.includes(s), `docs/diff.md row of ${rule} must say ${s}`);
    }
  });

  test("identical manifests have no changes; reordering keys is no change", () => {
    const a = m("tools:\n  a: { input: { type: object, properties: { x: { type: string }, y: { type: number } }, required: [x, y] } }\n  b: {}");
    const b = m("tools:\n  b: {}\n  a: { input: { required: [y, x], properties: { y: { type: number }, x: { type: string } }, type: object } }");
    assert.deepEqual(changesOf(a, b), []);
  });
});

describe("schemas", () => {
  const typed = (addr: string, extra = "") =>
    m(`types:\n  Address: ${addr}\n${extra}tools:\n  ship: { input: { type: object, properties: { to: { $ref: "#/types/Address" } }, required: [to] } }\n  bill: { output: { $ref: "#/types/Address" } }`);

  test("a change to a shared type is reported for every tool using it, located in types", () => {
    const before = typed("{ type: object, properties: { zip: { type: string } }, required: [zip] }");
    const after = typed("{ type: object, properties: { zip: { type: string, maxLength: 5 } }, required: [zip] }");
    const changes = changesOf(before, after);
    assert.deepEqual(
      changes.map((c) => [c.item, c.rule, c.severity, c.path, c.at.join(".")]),
      [
        ["bill", "constraint-tightened", "safe", "/output/properties/zip", "types.Address.properties.zip.maxLength"],
        ["ship", "constraint-tightened", "breaking", "/input/properties/to/properties/zip", "types.Address.properties.zip.maxLength"],
      ],
    );
  });

  test("recursive types terminate and changes inside them are found", () => {
    const tree = (leaf: string) =>
      m(`types:\n  Node:\n    type: object\n    properties:\n      value: ${leaf}\n      children: { type: array, items: { $ref: "#/types/Node" } }\ntools:\n  t: { input: { type: object, properties: { root: { $ref: "#/types/Node" } } } }`);
    const changes = changesOf(tree("{ type: string }"), tree("{ type: integer }"));
    assert.deepEqual(changes.map((c) => [c.rule, c.path]), [["input-type-narrowed", "/input/properties/root/properties/value"]]);
    assert.deepEqual(changesOf(tree("{ type: string }"), tree("{ type: string }")), []);
  });

  test("nested paths: array items, nested objects, local $defs", () => {
    const a = input("list: { type: array, items: { type: object, properties: { id: { type: string } } } }, ref: { $ref: '#/$defs/x' }", ", $defs: { x: { type: string } }");
    const b = input("list: { type: array, items: { type: object, properties: { id: { type: string }, n: { type: integer } }, required: [n] } }, ref: { $ref: '#/$defs/x' }", ", $defs: { x: { type: string, minLength: 2 } }");
    assert.deepEqual(
      changesOf(a, b).map((c) => [c.rule, c.path]),
      [
        ["required-input-added", "/input/properties/list/items/properties/n"],
        ["constraint-tightened", "/input/properties/ref"],
      ],
    );
  });

  test("an anyOf alternative changed in place is compared inside", () => {
    const changes = changesOf(input("a: { anyOf: [{ type: string }, { type: integer, minimum: 0 }] }"), input("a: { anyOf: [{ type: string }, { type: integer, minimum: 1 }] }"));
    assert.deepEqual(changes.map((c) => [c.rule, c.path]), [["constraint-tightened", "/input/properties/a/anyOf/1"]]);
  });

  test("a tool without input is an empty object schema", () => {
    assert.deepEqual(changesOf(tool("{}"), tool("{ input: { type: object } }")), []);
  });
});

// ------------------------------------------------------------------ the command

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function diff(cwd: string, ...argv: string[]): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const code = await diffCommand(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    cwd,
    env: { NO_COLOR: "1" },
  });
  return { code, stdout, stderr };
}

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), "mcpgen-diff-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function put(dir: string, path: string, text: string): void {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
}

const OLD = readFileSync(join(FIXTURES, "v1.yaml"), "utf8");
const NEW = readFileSync(join(FIXTURES, "v2.yaml"), "utf8");

describe("mcpgen diff", () => {
  test("text: grouped by severity, rule names, locations in the new manifest; exit 1 when breaking", async (t) => {
    const dir = tempDir(t);
    put(dir, "old.yaml", OLD);
    put(dir, "mcp.yaml", NEW);
    const r = await diff(dir, "--against", "old.yaml");
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stderr, "");
    golden(join(FIXTURES, "v1-v2.txt"), r.stdout);
  });

  test("json: summary and located changes with their reasons", async (t) => {
    const dir = tempDir(t);
    put(dir, "old.yaml", OLD);
    put(dir, "mcp.yaml", NEW);
    const r = await diff(dir, "--against", "old.yaml", "--format", "json");
    assert.equal(r.code, 1);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.manifest, "mcp.yaml");
    assert.equal(doc.against, "old.yaml");
    assert.deepEqual(Object.keys(doc.summary), ["breaking", "dangerous", "safe"]);
    assert.equal(doc.changes.length, doc.summary.breaking + doc.summary.dangerous + doc.summary.safe);
    const removed = doc.changes.find((c: { rule: string }) => c.rule === "required-input-added");
    assert.deepEqual(
      { ...removed, why: undefined },
      {
        rule: "required-input-added",
        severity: "breaking",
        kind: "tool",
        item: "get_forecast",
        path: "/input/properties/units",
        message: "tool `get_forecast` /input/properties/units: new required property",
        why: undefined,
        file: "mcp.yaml",
        line: 16,
        col: 9,
        endLine: 16,
        endCol: 14,
      },
    );
    assert.equal(removed.why, RULES["required-input-added"].why);
  });

  test("github: one annotation per change, error/warning/notice by severity", async (t) => {
    const dir = tempDir(t);
    put(dir, "old.yaml", OLD);
    put(dir, "mcp.yaml", NEW);
    const r = await diff(dir, "--against", "old.yaml", "--format", "github");
    assert.equal(r.code, 1);
    const lines = r.stdout.trimEnd().split("\n");
    assert.ok(lines.every((l) => /^::(error|warning|notice) file=mcp\.yaml,line=\d+,col=\d+,title=(breaking|dangerous|safe)%3A [a-z-]+::/.test(l)), r.stdout);
    assert.ok(lines.some((l) => l.startsWith("::error file=mcp.yaml,line=16,col=9,title=breaking%3A required-input-added::")));
    assert.ok(lines.some((l) => l.startsWith("::warning ") && l.includes("title=dangerous%3A tool-became-destructive")));
    assert.ok(lines.some((l) => l.startsWith("::notice ") && l.includes("title=safe%3A tool-added")));
    assert.ok(r.stdout.includes("%0A"), "the reason rides on a second message line");
  });

  test("exit 0 when nothing breaks (dangerous and safe changes only), and for no changes", async (t) => {
    const dir = tempDir(t);
    put(dir, "old.yaml", tool("{ annotations: { readOnlyHint: true } }"));
    put(dir, "mcp.yaml", tool("{ description: now writes, annotations: { readOnlyHint: false, destructiveHint: false } }"));
    const r = await diff(dir, "--against", "old.yaml");
    assert.equal(r.code, 0, r.stdout);
    assert.match(r.stdout, /Dangerous changes \(1\):\n {2}mcp\.yaml:\d+:\d+ {2}tool-no-longer-read-only/);
    assert.match(r.stdout, /mcp\.yaml against old\.yaml: 0 breaking, 1 dangerous, 2 safe\n$/);
    put(dir, "same.yaml", readFileSync(join(dir, "mcp.yaml"), "utf8"));
    const same = await diff(dir, "--against", "same.yaml");
    assert.equal(same.code, 0);
    assert.equal(same.stdout, "mcp.yaml against same.yaml: no changes to the server's surface\n");
  });

  test("--cwd and -c locate the manifest; the command name may lead argv", async (t) => {
    const dir = tempDir(t);
    put(dir, "app/server.yaml", NEW);
    put(dir, "app/old.yaml", OLD);
    const r = await diff(tmpdir(), "diff", "--cwd", dir, "-c", "app/server.yaml", "--against", "app/old.yaml");
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^ {2}app\/server\.yaml:16:9 /m);
    assert.match(r.stdout, /app\/server\.yaml against app\/old\.yaml: /);
  });

  test("colour only on a terminal, never with --no-color or NO_COLOR", async (t) => {
    const dir = tempDir(t);
    put(dir, "old.yaml", OLD);
    put(dir, "mcp.yaml", NEW);
    const run = async (env: Record<string, string>, ...extra: string[]) => {
      let stdout = "";
      await diffCommand(["--against", "old.yaml", ...extra], { stdout: { write: (s: string) => (stdout += s), isTTY: true }, stderr: { write: () => true }, cwd: dir, env });
      return stdout;
    };
    assert.match(await run({}), /\u001b\[31m/);
    assert.doesNotMatch(await run({}, "--no-color"), /\u001b\[/);
    assert.doesNotMatch(await run({ NO_COLOR: "1" }), /\u001b\[/);
  });

  test("real manifests: an example against itself has no changes; against another, everything is classified", async () => {
    const conformance = join(repoRoot, "examples", "conformance");
    const same = await diff(conformance, "--against", "mcp.yaml");
    assert.equal(same.code, 0, same.stderr);
    assert.match(same.stdout, /no changes/);
    const other = await diff(conformance, "--against", "../tour/mcp.yaml", "--format", "json");
    assert.equal(other.code, 1, other.stderr);
    const doc = JSON.parse(other.stdout);
    assert.ok(doc.changes.some((c: { rule: string; item: string }) => c.rule === "tool-removed" && c.item === "get_weather"));
    assert.ok(doc.changes.some((c: { rule: string; item: string }) => c.rule === "tool-added" && c.item === "json_schema_2020_12_tool"));
    assert.ok(doc.changes.every((c: { rule: string }) => c.rule in RULES));
  });

  test("usage errors exit 2", async (t) => {
    const dir = tempDir(t);
    put(dir, "mcp.yaml", NEW);
    const missing = await diff(dir);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--against <git-ref\|file> is required/);
    const format = await diff(dir, "--against", "x", "--format", "xml");
    assert.equal(format.code, 2);
    assert.match(format.stderr, /--format must be text, json or github/);
    const unknown = await diff(dir, "--against", "x", "--bogus");
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /Unknown option '--bogus'/);
    const help = await diff(dir, "--help");
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^mcpgen diff: /);
  });

  test("an invalid current manifest prints its diagnostics and exits 2 (json too)", async (t) => {
    const dir = tempDir(t);
    put(dir, "old.yaml", OLD);
    put(dir, "mcp.yaml", "version: 1\nserver: { name: s, version: 1.0.0 }\ntools:\n  t: { tittle: x }\n");
    const r = await diff(dir, "--against", "old.yaml");
    assert.equal(r.code, 2);
    assert.match(r.stderr, /mcp\.yaml:4:\d+ error\[unknown-key\]/);
    const json = await diff(dir, "--against", "old.yaml", "--format", "json");
    assert.equal(json.code, 2);
    assert.equal(JSON.parse(json.stdout)[0].code, "unknown-key");
    const none = await diff(dir, "-c", "nope.yaml", "--against", "old.yaml");
    assert.equal(none.code, 2);
    assert.match(none.stderr, /error\[manifest-missing\]: No manifest at nope\.yaml/);
  });

  test("an invalid old manifest is named and exits 2", async (t) => {
    const dir = tempDir(t);
    put(dir, "old.yaml", "version: 2\n");
    put(dir, "mcp.yaml", NEW);
    const r = await diff(dir, "--against", "old.yaml");
    assert.equal(r.code, 2);
    assert.match(r.stderr, /the manifest to compare with \(old\.yaml\) is not valid/);
    assert.match(r.stderr, /old\.yaml:1:\d+ error\[/);
  });
});

describe("mcpgen diff --against <git-ref>", () => {
  const gitEnv = { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@example.com", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@example.com", GIT_CONFIG_NOSYSTEM: "1" };
  const git = (dir: string, ...args: string[]) => execFileSync("git", ["-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", ...args], { cwd: dir, env: gitEnv, encoding: "utf8" });

  function repo(t: { after(fn: () => void): void }): string {
    const dir = tempDir(t);
    git(dir, "init", "-q");
    put(dir, "server/mcp.yaml", OLD);
    git(dir, "add", ".");
    git(dir, "commit", "-q", "-m", "v1");
    put(dir, "server/mcp.yaml", NEW);
    return dir;
  }

  test("compares the working tree with HEAD, from a subfolder and from the root", async (t) => {
    const dir = repo(t);
    const fromSub = await diff(join(dir, "server"), "--against", "HEAD");
    assert.equal(fromSub.code, 1, fromSub.stderr);
    const expected = readFileSync(join(FIXTURES, "v1-v2.txt"), "utf8").replace("mcp.yaml against old.yaml", "mcp.yaml against HEAD:server/mcp.yaml");
    assert.equal(fromSub.stdout, expected, "the same report as against the file");
    const fromRoot = await diff(dir, "-c", "server/mcp.yaml", "--against", "HEAD", "--format", "json");
    assert.equal(fromRoot.code, 1, fromRoot.stderr);
    assert.equal(JSON.parse(fromRoot.stdout).against, "HEAD:server/mcp.yaml");
  });

  test("branches, tags and <rev>:<path>", async (t) => {
    const dir = repo(t);
    git(dir, "tag", "v1");
    git(dir, "commit", "-q", "-am", "v2");
    const tag = await diff(join(dir, "server"), "--against", "v1");
    assert.equal(tag.code, 1, tag.stderr);
    const head = await diff(join(dir, "server"), "--against", "HEAD");
    assert.equal(head.code, 0, head.stderr);
    assert.match(head.stdout, /no changes/);
    const explicit = await diff(join(dir, "server"), "--against", "HEAD~1:server/mcp.yaml");
    assert.equal(explicit.code, 1, explicit.stderr);
    assert.match(explicit.stdout, /against HEAD~1:server\/mcp\.yaml: /);
  });

  test("not a git repository, unknown revision, file not in the revision: clear errors, exit 2", async (t) => {
    const plain = tempDir(t);
    put(plain, "mcp.yaml", NEW);
    const notRepo = await diff(plain, "--against", "HEAD");
    assert.equal(notRepo.code, 2);
    assert.match(notRepo.stderr, /is not inside a git repository/);

    const dir = repo(t);
    const unknown = await diff(join(dir, "server"), "--against", "no-such-branch");
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown git revision 'no-such-branch'/);

    put(dir, "other/mcp.yaml", NEW);
    const absent = await diff(join(dir, "other"), "--against", "HEAD");
    assert.equal(absent.code, 2);
    assert.match(absent.stderr, /other\/mcp\.yaml does not exist in HEAD/);

    const option = await diff(join(dir, "server"), "--against", "--output=x");
    assert.equal(option.code, 2);
  });
});
