/**
 * Regression tests for manifests the schema accepts but our examples never exercised: each case
 * here broke generation, type-checking or the listed surface before, and is kept as found
 * (shrunk). Every one goes generate -> tsc -> serve -> list/call with a client.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { cli, connectGenerated, read, scratchProject, typecheck, write } from "./helpers.js";

const HOSTILE = `
version: 1
server:
  name: "hostile */ server"
  version: 1.0.0
  instructions: "use \`tools\` \${x} */ \\u2028 end \\0"
types:
  "Order Item":
    type: object
    title: City
    properties:
      "__proto__": { type: string, default: "p" }
      name: { type: string }
    $defs:
      City: { type: string }
  City: { type: string, title: "Order Item" }
  "3sA": { type: integer }
  "日本": { type: string }
tools:
  glob:
    description: "Find '**/*.ext' files */ and \`backticks\` \${x} \\u2028 </script>"
    input:
      type: object
      properties:
        pattern: { type: string, description: "a */ glob", examples: ["**/*.ts"] }
        limit: { type: integer, default: 10 }
        opts:
          type: object
          properties:
            deep: { type: boolean, default: false }
        item: { $ref: "#/types/Order Item" }
        n: { $ref: "#/types/3sA" }
        j: { $ref: "#/types/日本" }
      x-custom: { a: 1 }
      $schema: "https://json-schema.org/draft/2020-12/schema"
    output: { type: integer }
    _meta: { "__proto__": { weird: true }, "x.y/z": 1 }
  then: { description: "makes a client thenable?" }
  hasOwnProperty:
    input:
      type: object
      properties:
        hasOwnProperty: { type: string }
        constructor: { type: string, default: "c" }
  get-sum: {}
  get_sum: { id: get_sum_v2 }
resources:
  Browser console logs: { uri: "console://logs", description: "logs */ here", text: "log line" }
  '"customers" database schema': { uri: "db://customers/schema", mimeType: application/json }
  Dynamic Text Resource:
    uri: "test://text/{constructor}"
    description: "*/ text"
    complete: [constructor]
prompts:
  3sA:
    description: "p */"
    arguments:
      "my arg": { required: true }
      "constructor": { complete: true }
    template: "Hi {{[my arg]}} and {{constructor}}"
  "review code":
    arguments:
      code: { required: true }
`;

describe("manifests nobody here wrote", () => {
  it("generates, type-checks, lists exactly what the manifest says, and calls with defaults applied", async (t) => {
    const dir = scratchProject(t, HOSTILE);
    const r = await cli(dir);
    assert.equal(r.code, 0, r.stderr);
    const tc = await typecheck(dir);
    assert.ok(tc.ok, tc.output);

    // Comments hold the text, inert; the stub still compiles (checked above).
    assert.match(read(dir, "src/handlers/tools/glob.ts"), /\/\*\* Find '\*\*\\\/\*\.ext' files \*\\\/ and/);
    // A tool named `then` does not make the typed client a thenable.
    assert.match(read(dir, "src/generated/client.ts"), /async then_\(/);
    assert.doesNotMatch(read(dir, "src/generated/client.ts"), /async then\(/);

    write(dir, "src/handlers/tools/glob.ts", `import type { GlobHandler } from "../../generated/contract.js";
export const handler: GlobHandler = async (input) => input.limit + (input.opts?.deep === false ? 1000 : 0) + (input.item?.__proto__ === "p" ? 5 : 0);
`);
    write(dir, "src/handlers/tools/hasOwnProperty.ts", `import type { HasOwnPropertyHandler } from "../../generated/contract.js";
export const handler: HasOwnPropertyHandler = async (input) => \`\${input.constructor}|\${input.hasOwnProperty ?? "absent"}\`;
`);
    write(dir, "src/handlers/prompts/3sA.ts", `import type { CompletionHandler } from "../../generated/contract.js";
export const completeConstructor: CompletionHandler = async (value) => [value + "!"];
`);
    const tc2 = await typecheck(dir);
    assert.ok(tc2.ok, tc2.output);

    const { client } = await connectGenerated(dir);
    t.after(() => client.close());
    const manifest = parse(HOSTILE);

    const tools = Object.fromEntries((await client.listTools()).map((x) => [x.name, x]));
    assert.deepEqual(Object.keys(tools).sort(), ["get-sum", "get_sum", "glob", "hasOwnProperty", "then"]);
    assert.equal(tools.glob.description, manifest.tools.glob.description);
    const input = tools.glob.inputSchema as any;
    assert.equal(input.$schema, "https://json-schema.org/draft/2020-12/schema");
    assert.deepEqual(input["x-custom"], { a: 1 });
    assert.deepEqual(input.properties.limit, { type: "integer", default: 10 });
    // References keep the author's spelling of the type name, only re-rooted into $defs.
    assert.equal(input.properties.item.$ref, "#/$defs/Order Item");
    // An own "__proto__" key survives emission (an object literal would have dropped it).
    assert.deepEqual(Object.keys(input.$defs["Order Item"].properties), ["__proto__", "name"]);
    assert.deepEqual(tools.glob._meta, JSON.parse('{"__proto__":{"weird":true},"x.y/z":1}'));
    assert.ok(Object.hasOwn(tools.glob._meta as object, "__proto__"));

    const names = (await client.listResources()).map((x) => x.name).sort();
    assert.deepEqual(names, ['"customers" database schema', "Browser console logs"]);
    const templates = await client.listResourceTemplates();
    assert.deepEqual(templates.map((x) => [x.name, x.uriTemplate, x.description]), [["Dynamic Text Resource", "test://text/{constructor}", "*/ text"]]);
    const prompts = await client.listPrompts();
    assert.deepEqual(prompts.map((p) => [p.name, p.arguments]), [
      ["3sA", [{ name: "my arg", required: true }, { name: "constructor" }]],
      ["review code", [{ name: "code", required: true }]],
    ]);

    // Defaults reach the handler: limit 10, nested deep false, and "__proto__" as a real key.
    const sum = await client.callTool("glob", { opts: {}, item: {} });
    assert.deepEqual(sum.structuredContent, { result: 1015 });
    // Properties named like Object.prototype members read as absent until given, and get defaults.
    const own = await client.callTool("hasOwnProperty", {});
    assert.equal((own.content[0] as any).text, "c|absent");
    const given = await client.callTool("hasOwnProperty", { hasOwnProperty: "h", constructor: "k" });
    assert.equal((given.content[0] as any).text, "k|h");

    // Prompt arguments the client leaves out are empty, never Object.prototype members.
    const prompt = await client.getPrompt("3sA", { "my arg": "A" });
    assert.equal((prompt.messages[0]!.content as any).text, "Hi A and ");
    const done = await client.complete({ type: "ref/prompt", name: "3sA" }, { name: "constructor", value: "x" });
    assert.deepEqual(done.values, ["x!"]);
    const none = await client.complete({ type: "ref/prompt", name: "3sA" }, { name: "toString", value: "x" });
    assert.deepEqual(none.values, []);
  });

  it("names that collide after mapping are reported, and id: resolves them", async (t) => {
    const dir = scratchProject(t, `version: 1
server: { name: s, version: 1.0.0 }
resources:
  "a b": { uri: "x://1", text: "1" }
  "a-b": { uri: "x://2", text: "2" }
tools:
  read_a_b: {}
`);
    const r = await cli(dir, "validate");
    assert.equal(r.code, 2);
    assert.match(r.stdout + r.stderr, /resource `a-b` and resource `a b` both become the identifier `aB`/);
    assert.match(r.stdout + r.stderr, /give one of them an `id:`/);
    write(dir, "mcp.yaml", read(dir, "mcp.yaml").replace(`"a-b": { uri: "x://2", text: "2" }`, `"a-b": { uri: "x://2", text: "2", id: a_dash_b }`));
    const r2 = await cli(dir, "validate");
    // The tool's client method `readAB` still clashes with resource `a b`'s.
    assert.equal(r2.code, 2, r2.stdout);
    assert.match(r2.stdout + r2.stderr, /both become the typed client method `readAB`/);
    write(dir, "mcp.yaml", read(dir, "mcp.yaml").replace("read_a_b: {}", "read_a_b: { id: fetch_a_b }"));
    const r3 = await cli(dir);
    assert.equal(r3.code, 0, r3.stdout + r3.stderr);
    assert.ok((await typecheck(dir)).ok);
  });
});
