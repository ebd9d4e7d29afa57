/**
 * The manifest side of 2026-07-28: `cache:` (server-wide, per list, per resource) and
 * `x-mcp-header` on tool inputs are checked by the front end, passed through by the
 * generator, and served by the runtime; a form's manifest name is its key in
 * `inputRequests`. A scratch project is generated, type-checked and served in process.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, test } from "node:test";
import { readManifest } from "../../generator/src/frontend.js";
import { Peer, createMemoryTransportPair, type McpServer } from "../../runtime/src/index.js";
import { cli, read, scratchProject, typecheck, write } from "../generator/helpers.js";

const isHeaderProblem = (d: { code: string }) => d.code === "tool-header-invalid";

function diagnosticsOf(yaml: string) {
  return readManifest("mcp.yaml", yaml).diagnostics.map((d) => ({ code: d.code, at: (d as any).path ?? (d as any).at, message: d.message }));
}

describe("x-mcp-header in the manifest", () => {
  test("valid annotations pass; each broken rule is an error at the annotation", () => {
    const ok = diagnosticsOf(`version: 1
server: { name: s, version: 1.0.0 }
tools:
  t:
    input:
      type: object
      properties:
        region: { type: string, x-mcp-header: Region }
        count: { type: integer, x-mcp-header: Count }
        nested: { type: object, properties: { flag: { type: boolean, x-mcp-header: Flag } } }
`);
    assert.deepEqual(ok.filter(isHeaderProblem), []);

    const bad = diagnosticsOf(`version: 1
server: { name: s, version: 1.0.0 }
tools:
  t:
    input:
      type: object
      x-mcp-header: Root
      properties:
        a: { type: number, x-mcp-header: A }
        b: { type: string, x-mcp-header: "has space" }
        c: { type: string, x-mcp-header: Dup }
        d: { type: string, x-mcp-header: dup }
        e: { type: array, items: { type: string, x-mcp-header: Item } }
        f: { type: object, x-mcp-header: Obj }
      anyOf:
        - properties: { g: { type: string, x-mcp-header: G } }
`).filter(isHeaderProblem);
    const messages = bad.map((d) => d.message).join("\n");
    assert.equal(bad.length, 7, messages);
    assert.match(messages, /reached through `properties` alone/);
    assert.match(messages, /needs a string, integer or boolean property \(this one is number\)/);
    assert.match(messages, /"has space"` is not a valid header name/);
    assert.match(messages, /`x-mcp-header: dup` is used twice/);
    assert.match(messages, /this one is object/);
  });

  test("cache: hints are checked (integer ttlMs >= 0, scope public or private, known lists)", () => {
    const d = diagnosticsOf(`version: 1
server: { name: s, version: 1.0.0 }
cache: { ttlMs: -5, scope: shared, toolz: {} }
resources:
  r: { uri: "a://b", text: x, cache: { ttlMs: 1.5 } }
`);
    const codes = d.map((x) => x.code);
    assert.ok(codes.includes("invalid-value"), JSON.stringify(d));
    assert.ok(codes.includes("unknown-key") || codes.includes("wrong-type"), JSON.stringify(d));
    assert.ok(d.length >= 3, JSON.stringify(d));
  });
});

const MANIFEST = `version: 1
server: { name: gen-modern, version: 3.0.0, instructions: Generated. }
cache:
  ttlMs: 2000
  scope: public
  tools: { ttlMs: 9000 }
  discover: { scope: private }
tools:
  ask:
    description: Asks a name
    input:
      type: object
      properties:
        region: { type: string, x-mcp-header: Region }
    elicit:
      user_name:
        message: What is your name?
        schema:
          type: object
          properties: { name: { type: string } }
          required: [name]
resources:
  doc:
    uri: doc://readme
    text: Read me.
    cache: { ttlMs: 600000 }
  page:
    uri: "page://{n}"
    cache: { ttlMs: 7, scope: private }
`;

const ASK_HANDLER = `import type { AskHandler } from "../../generated/contract.js";
export const handler: AskHandler = async ({ region }, ctx) => {
  const r = await ctx.elicit.userName();
  return \`\${r.content?.name} in \${region}\`;
};
`;
const PAGE_HANDLER = `import type { PageRead } from "../../generated/contract.js";
export const read: PageRead = async ({ n }) => \`page \${n}\`;
`;

describe("generated servers carry cache hints, headers and form keys", () => {
  test("generate, type-check, serve: discover, lists, reads and input keys", async (t) => {
    const dir = scratchProject(t, MANIFEST);
    const r = await cli(dir);
    assert.equal(r.code, 0, r.stderr);
    const server = read(dir, "src/generated/server.ts");
    assert.match(server, /cache: \{\s*ttlMs: 2000,\s*scope: "public",\s*tools: \{ ttlMs: 9000 \},\s*discover: \{ scope: "private" \},?\s*\}/);
    assert.match(server, /cache: \{ ttlMs: 600000 \}/);
    assert.match(server, /key: "user_name"/);
    write(dir, "src/handlers/tools/ask.ts", ASK_HANDLER);
    const pageFile = read(dir, "src/generated/contract.ts").includes("PageRead") ? "src/handlers/resources/page.ts" : undefined;
    if (pageFile) write(dir, pageFile, PAGE_HANDLER);
    const tc = await typecheck(dir);
    assert.ok(tc.ok, tc.output);

    const { createServer } = (await import(pathToFileURL(join(dir, "src/generated/server.ts")).href)) as { createServer: () => McpServer };
    const s = createServer();
    const [a, b] = createMemoryTransportPair();
    await s.connect(a);
    const peer = new Peer();
    await peer.connect(b);
    const meta = { "io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": { elicitation: {} } };
    try {
      const discover = await peer.request<any>("server/discover", { _meta: meta });
      assert.deepEqual([discover.ttlMs, discover.cacheScope, discover.instructions], [2000, "private", "Generated."]);
      const tools = await peer.request<any>("tools/list", { _meta: meta });
      assert.deepEqual([tools.ttlMs, tools.cacheScope], [9000, "public"]);
      assert.equal(tools.tools[0].inputSchema.properties.region["x-mcp-header"], "Region");
      const doc = await peer.request<any>("resources/read", { uri: "doc://readme", _meta: meta });
      assert.deepEqual([doc.ttlMs, doc.cacheScope], [600000, "public"]);
      if (pageFile) {
        const page = await peer.request<any>("resources/read", { uri: "page://4", _meta: meta });
        assert.deepEqual([page.contents[0].text, page.ttlMs, page.cacheScope], ["page 4", 7, "private"]);
      }
      const r1 = await peer.request<any>("tools/call", { name: "ask", arguments: { region: "eu" }, _meta: meta });
      assert.deepEqual(Object.keys(r1.inputRequests), ["user_name"], "the form's manifest name is its key");
      const r2 = await peer.request<any>("tools/call", {
        name: "ask",
        arguments: { region: "eu" },
        _meta: meta,
        inputResponses: { user_name: { action: "accept", content: { name: "Ada" } } },
        requestState: r1.requestState,
      });
      assert.equal(r2.content[0].text, "Ada in eu");
      // The generated validator checks the answer against the form's schema.
      await assert.rejects(
        peer.request("tools/call", { name: "ask", arguments: { region: "eu" }, _meta: meta, inputResponses: { user_name: { action: "accept", content: { nom: 1 } } } }),
        (e: any) => e.code === -32602,
      );
    } finally {
      await s.close();
    }
  });
});
