/**
 * Shrunk cases the manifest property test (and the real-surface fixtures) found against the
 * generator, kept as regression tests. Each runs the property's whole check: generate → tsc
 * → stdio server → SDK client, listed surface equal to the manifest's.
 */
import { test } from "node:test";
import YAML from "yaml";
import assert from "node:assert/strict";
import { checkManifest, errorCodes } from "./manifest-property.js";
import { generate, makeProject } from "./surface-harness.js";

const server = "version: 1\nserver: { name: regression, version: 1.0.0 }\n";

const cases: Record<string, string> = {
  "a type that is only a $ref to another type, referenced from a tool": `${server}types:
  A: { $ref: "#/types/B" }
  B: { type: string }
tools:
  t: { input: { type: object, properties: { a: { $ref: "#/types/A" } } } }
`,
  "a NUL character in a prompt template": `${server}prompts:
  p: { template: "before\\0after" }
`,
  "a server icon with a theme": `version: 1
server: { name: regression, version: 1.0.0, icons: [{ src: "https://example.com/i.png", theme: dark }] }
`,
  "a prompt named 3sA (type name derived twice, differently)": `${server}prompts:
  3sA: { arguments: { x: { required: true } } }
`,
  "a property named hasOwnProperty": `${server}tools:
  t: { input: { type: object, properties: { hasOwnProperty: { type: string } } } }
`,
  "a property named __proto__ is kept in the listed schema": `${server}tools:
  t: { input: { type: object, properties: { __proto__: { type: string } }, required: [__proto__] } }
`,
  "__proto__ as a _meta key": `${server}prompts:
  p: { template: hi, _meta: { __proto__: { a: 1 } } }
`,
  "an elicitation message containing */": `${server}tools:
  t:
    elicit:
      confirm: { message: "really */ sure?", schema: { type: object, properties: { ok: { type: boolean } } } }
`,
  "an apostrophe in a static resource URI (a URI character)": `${server}resources:
  quote: { uri: "file:///it's.txt", text: hi }
`,
  "a prompt argument with required: false is listed with it": `${server}prompts:
  p: { arguments: { city: { required: true }, state: { required: false } } }
`,
  "a resource and a prompt whose names have spaces and quotes": `${server}resources:
  Browser console logs: { uri: "browser://console", text: "" }
  "\\"customers\\" database schema": { uri: "postgres://db/customers/schema" }
prompts:
  Code review: { template: "Review this" }
`,
  "a tool named then (the typed client must not become a thenable)": `${server}tools:
  then: {}
`,
  "tools whose contract types would be the contract's own (ServerContext, CompletionHandler)": `${server}tools:
  server:
    elicit:
      " ": { message: "*/", schema: { type: object, properties: { delete: { type: string, enum: ["*/"] } } } }
  completion: {}
  app:
    elicit:
      ok: { message: sure?, schema: { type: object, properties: { ok: { type: boolean } } } }
`,
};

test("regression: types that refer to each other in a cycle of bare refs are a diagnostic, not a stack overflow", async () => {
  const project = makeProject(`${server}types:
  A: { $ref: "#/types/B" }
  B: { $ref: "#/types/A" }
tools:
  t: { output: { $ref: "#/types/A" } }
`, "regression-");
  try {
    const gen = await generate(project.dir);
    assert.equal(gen.ok, false);
    assert.deepEqual(errorCodes(gen.output), ["ref-cycle"], gen.output);
  } finally {
    project.remove();
  }
});

for (const [name, text] of Object.entries(cases)) {
  test(`regression: ${name}`, { timeout: 60_000 }, () => checkManifest(YAML.parse(text)));
}
