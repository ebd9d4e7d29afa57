/**
 * The three cases issue 14 names, each through generate → tsc → stdio server → SDK client:
 * a description that closes a JSDoc comment, a resource name with spaces, and a `default`
 * the handler must receive when the caller omits the argument.
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { getDefaultEnvironment, StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { generate, makeProject, serveAndList, typecheck } from "./surface-harness.js";

/** generate + tsc, asserting both; returns the project folder. */
async function buildProject(t: { after(fn: () => void): void }, manifest: string, edit?: (dir: string) => void): Promise<string> {
  const project = makeProject(manifest, "focused-");
  t.after(project.remove);
  const gen = await generate(project.dir);
  assert.ok(gen.ok, `mcpgen generate failed:\n${gen.output}`);
  edit?.(project.dir);
  const tsc = typecheck(project.dir);
  assert.ok(tsc.ok, `the generated project does not compile:\n${tsc.output}`);
  return project.dir;
}

test("a tool description containing `*/` (a glob) compiles and is listed as written", async (t) => {
  const description = "Find files matching a glob such as '**/*.ext' or `src/**/*.ts` /* not a comment */";
  const dir = await buildProject(
    t,
    `version: 1
server: { name: globs, version: 1.0.0 }
tools:
  search_files:
    description: ${JSON.stringify(description)}
    input:
      type: object
      properties:
        pattern: { type: string, description: "a glob, e.g. **/*.md */" }
      required: [pattern]
`,
  );
  const listed = await serveAndList(dir);
  const tool = listed.tools[0] as { name: string; description: string; inputSchema: { properties: { pattern: { description: string } } } };
  assert.equal(tool.name, "search_files");
  assert.equal(tool.description, description);
  assert.equal(tool.inputSchema.properties.pattern.description, "a glob, e.g. **/*.md */");
});

test("a resource named `Browser console logs` is generated, compiles and is listed by that name", async (t) => {
  const dir = await buildProject(
    t,
    `version: 1
server: { name: browser, version: 1.0.0 }
resources:
  Browser console logs:
    uri: browser://console
    mimeType: text/plain
    description: Messages the page wrote to the console
  "\\"customers\\" database schema":
    uri: postgres://db/customers/schema
    mimeType: application/json
  Page by id:
    uri: browser://pages/{id}
`,
  );
  const listed = await serveAndList(dir);
  assert.deepEqual(
    (listed.resources as { name: string; uri: string }[]).map((r) => [r.name, r.uri]).sort(),
    [["\"customers\" database schema", "postgres://db/customers/schema"], ["Browser console logs", "browser://console"]],
  );
  assert.deepEqual((listed.resourceTemplates as { name: string }[]).map((r) => r.name), ["Page by id"]);
});

test("an input with `default: 10` arrives in the handler as 10 when the caller omits it", async (t) => {
  const dir = await buildProject(
    t,
    `version: 1
server: { name: search, version: 1.0.0 }
tools:
  search:
    input:
      type: object
      properties:
        query: { type: string }
        limit: { type: integer, minimum: 1, default: 10 }
      required: [query]
    output:
      type: object
      properties:
        limit: { type: integer }
      required: [limit]
`,
    (d) => {
      // The author's handler: returns the limit it received. Typed as \`number\`, since a
      // property with a default is always present.
      const file = join(d, "src/handlers/tools/search.ts");
      const stub = readFileSync(file, "utf8");
      const body = /throw notImplemented\([^;]*\);/;
      assert.match(stub, body, "the stub's body is no longer `throw notImplemented(...)`; update this test");
      writeFileSync(file, stub.replace(body, "const limit: number = input.limit;\n  return { limit };").replace(/^import \{ notImplemented \} from "@mcpgen\/runtime";\n/m, ""));
    },
  );
  const transport = new StdioClientTransport({ command: process.execPath, args: ["--import", "tsx", "src/server.ts"], cwd: dir, env: getDefaultEnvironment(), stderr: "pipe" });
  const client = new Client({ name: "defaults-test", version: "1.0.0" });
  t.after(() => client.close());
  await client.connect(transport);
  const omitted = await client.callTool({ name: "search", arguments: { query: "q" } });
  assert.equal(omitted.isError, undefined, JSON.stringify(omitted));
  assert.deepEqual(omitted.structuredContent, { limit: 10 });
  const given = await client.callTool({ name: "search", arguments: { query: "q", limit: 3 } });
  assert.deepEqual(given.structuredContent, { limit: 3 });
  // The wire schema still advertises the default.
  const { tools } = await client.listTools();
  assert.equal((tools[0]!.inputSchema.properties as Record<string, { default?: unknown }>).limit!.default, 10);
});
