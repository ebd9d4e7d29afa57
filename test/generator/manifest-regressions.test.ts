/**
 * Shrunk cases the manifest property test (and the real-surface fixtures) found against the
 * generator, kept as regression tests. Each runs the property's whole check: generate → tsc
 * → stdio server → SDK client, listed surface equal to the manifest's.
 */
import { test } from "node:test";
import YAML from "yaml";
import { checkManifest, errorCodes, SurfaceMismatch } from "./manifest-property.js";

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
  "tools whose contract types would be the contract's own (ServerContext, CompletionHandler)": `${server}tools:
  server:
    elicit:
      " ": { message: "*/", schema: { type: object, properties: { delete: { type: string, enum: ["*/"] } } } }
  completion: {}
  app:
    elicit:
      ok: { message: sure?, schema: { type: object, properties: { ok: { type: boolean } } } }
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
  "a resource template with a 70,000-character literal next to a static resource (internal error in the resources check)": `${server}resources:
  a: { uri: "test://host/?n=0", text: "" }
  b: { uri: "test://host1/${"x".repeat(70_000)}{/id}" }
`,
  "a recursive type referenced by a property named __proto__ next to other properties (crash: circular structure)": `${server}types:
  a: { items: { $ref: "#/types/a" } }
tools:
  delete:
    input:
      type: object
      properties:
        \${x}:
          properties:
            __proto__: { $ref: "#/types/a" }
            A: {}
            "-": {}
`,
  "a resource named __proto__, and one named << (quoted, so not a YAML merge key)": `${server}resources:
  __proto__: { uri: "x://proto", text: hi }
  "<<": { uri: "x://merge", text: ho }
`,
  "an elicitation form with a non-ASCII name (ajv: invalid export name)": `${server}tools:
  t:
    elicit:
      確認: { message: Sure?, schema: { type: object, properties: { ok: { type: boolean } } } }
`,
  "a prompt argument named toString (the typed client's default {} has an inherited toString)": `${server}prompts:
  p: { arguments: { toString: {} }, template: "{{toString}}" }
`,
  "a type whose name needs escaping in a JSON pointer (rewritten unescaped: ajv cannot resolve it)": `${server}types:
  a/b c: { type: string }
tools:
  t: { input: { type: object, properties: { x: { $ref: "#/types/a~1b%20c" } } } }
`,
  "a reference that percent-encodes the type name keeps its spelling": `${server}types:
  :a: { type: string }
tools:
  "0": { output: { $ref: "#/types/%3Aa" } }
`,
  "a non-ASCII elicitation question name and a __proto__ answer field": `${server}tools:
  delete:
    elicit:
      "µ ": { message: "*/", schema: { type: object, properties: { __proto__: { type: string, enum: ["*/"] } } } }
`,
  "a prompt whose only, optional argument is named constructor (typed client)": `${server}prompts:
  " ": { arguments: { constructor: {} }, template: "{{constructor}}" }
`,
  "a question whose answer type is named like the tool's handler type (DeleteHandler)": `${server}tools:
  delete:
    elicit:
      handler: { message: "*/", schema: { type: object, properties: { __proto__: { type: integer } } } }
`,
  "an anyOf of objects with and without a property named hasOwnProperty (schemas.ts typing)": `${server}types:
  Dynamic Text Resource:
    anyOf:
      - { type: object, properties: { hasOwnProperty: { type: "null" } } }
      - { type: object, properties: {} }
      - { type: boolean }
tools:
  delete: { input: { type: object, properties: { a: { $ref: "#/types/Dynamic%20Text%20Resource" } } } }
`,
  "a tool named then (the typed client must not become a thenable)": `${server}tools:
  then: {}
`,
};

for (const [name, text] of Object.entries(cases)) {
  test(`regression: ${name}`, { timeout: 60_000 }, () => checkManifest(YAML.parse(text)));
}

/**
 * Manifests that describe no value (cycles of bare aliases): refusing them with a diagnostic
 * is as good as serving them; crashing is not.
 */
const refusableCases: Record<string, string> = {
  "types that refer to each other in a cycle of bare refs": `${server}types:
  A: { $ref: "#/types/B" }
  B: { $ref: "#/types/A" }
tools:
  t: { output: { $ref: "#/types/A" } }
`,
  "a type that is a bare reference to itself, used as an output": `${server}types:
  .: { $ref: "#/types/." }
tools:
  t: { output: { $ref: "#/types/." } }
`,
  "a type that is itself or a boolean (TypeScript: an alias that circularly references itself)": `${server}types:
  Dynamic Text Resource:
    anyOf:
      - $ref: "#/types/Dynamic%20Text%20Resource"
      - type: boolean
`,
};

for (const [name, text] of Object.entries(refusableCases)) {
  test(`regression: ${name} (served, or refused with a diagnostic; never a crash)`, { timeout: 60_000 }, async () => {
    try {
      await checkManifest(YAML.parse(text), { discardSpecified: false });
    } catch (error) {
      const refusedCleanly = error instanceof SurfaceMismatch && error.step === "refused" && !errorCodes(error.message).includes("internal-error");
      if (!refusedCleanly) throw error;
    }
  });
}
