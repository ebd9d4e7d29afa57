/**
 * The manifest's `task` key: the schema accepts the word and the object form and refuses
 * anything else; the wiring passes it to the runtime; the typed client gets `<tool>AsTask`;
 * and a generated server runs the tool as a task for a 2026-07-28 client (in memory).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { test } from "node:test";
import { McpClient, ToolTask, createMemoryTransportPair } from "../../runtime/src/index.js";
import { cli, read, scratchProject, typecheck, write } from "./helpers.js";

const MANIFEST = `
version: 1
server: { name: task-gen, version: 0.0.1 }
tools:
  build:
    description: Builds for a while
    task: optional
    input:
      type: object
      properties:
        target: { type: string }
      required: [target]
  reindex:
    description: Runs only as a task
    task: { support: required, ttlMs: 5000, pollIntervalMs: 10, start: handler }
  plain:
    description: Never a task
`;

test("task: the wiring, the typed client's AsTask methods, and a task run by a 2026-07-28 client", async (t) => {
  const dir = scratchProject(t, MANIFEST);
  const gen = await cli(dir);
  assert.equal(gen.code, 0, gen.stdout + gen.stderr);
  const server = read(dir, "src/generated/server.ts");
  assert.match(server, /task: \{ support: "optional" \}/);
  assert.match(server, /task: \{\s*support: "required",\s*ttlMs: 5000,\s*pollIntervalMs: 10,\s*start: "handler",?\s*\}/);
  const client = read(dir, "src/generated/client.ts");
  assert.match(client, /buildAsTask\(/);
  assert.match(client, /reindexAsTask\(/);
  assert.doesNotMatch(client, /plainAsTask/);

  write(dir, "src/handlers/tools/build.ts", `import type { BuildHandler } from "../../generated/contract.js";
export const handler: BuildHandler = async (input, ctx) => {
  await ctx.status("compiling " + input.target);
  return "built " + input.target + (ctx.taskId ? " in a task" : " in a plain call");
};
`);
  const tc = await typecheck(dir);
  assert.ok(tc.ok, tc.output);

  const { createServer } = await import(pathToFileURL(join(dir, "src/generated/server.ts")).href);
  const mcp = createServer({ tasks: { pollIntervalMs: 5 } });
  const [a, b] = createMemoryTransportPair();
  await mcp.connect(a);
  const modern = new McpClient({ name: "t", version: "1" }, { protocolEra: "modern" });
  await modern.connect(b);
  try {
    const handle = await modern.callToolAsTask("build", { target: "app" });
    assert.ok(handle instanceof ToolTask);
    const result = await handle.result();
    assert.deepEqual(result.content, [{ type: "text", text: "built app in a task" }]);
    const discovered = modern.discovery!.capabilities.extensions as Record<string, unknown>;
    assert.deepEqual(discovered, { "io.modelcontextprotocol/tasks": {} });
  } finally {
    await modern.close();
    await mcp.close();
  }
});

test("task: anything but optional, required or the object form is refused", async (t) => {
  for (const bad of ["task: sometimes", "task: { ttlMs: 5 }", "task: { support: optional, every: 5 }"]) {
    const dir = scratchProject(t, `version: 1\nserver: { name: bad-task, version: 0.0.1 }\ntools:\n  x:\n    description: x\n    ${bad}\n`);
    const gen = await cli(dir);
    assert.notEqual(gen.code, 0, `${bad} was accepted`);
    assert.match(gen.stdout + gen.stderr, /task/, bad);
  }
});
