import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { connectExample, contentsText, mcpgenCheck, textOf, type Connected } from "./helpers.js";

describe("examples/echo", () => {
  let server: Connected;
  before(async () => {
    server = await connectExample("echo");
  });
  after(() => server?.close());

  test("generated code is up to date (mcpgen check)", async () => {
    const r = await mcpgenCheck("echo");
    assert.equal(r.code, 0, r.stdout + r.stderr);
  });

  test("lists the template, the tool and the prompt", async () => {
    const { client } = server;
    assert.deepEqual(client.getServerVersion()?.name, "echo");
    const { resourceTemplates } = await client.listResourceTemplates();
    assert.deepEqual(
      resourceTemplates.map((t) => [t.name, t.uriTemplate, t.mimeType]),
      [["echo_resource", "echo://{message}", "text/plain"]],
    );
    assert.deepEqual((await client.listResources()).resources, []);
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name), ["echo_tool"]);
    assert.deepEqual(tools[0]!.inputSchema, {
      type: "object",
      properties: { message: { type: "string", description: "The message to echo" } },
      required: ["message"],
    });
    assert.equal(tools[0]!.outputSchema, undefined);
    const { prompts } = await client.listPrompts();
    assert.deepEqual(
      prompts.map((p) => [p.name, p.arguments]),
      [["echo_prompt", [{ name: "message", description: "The message to process", required: true }]]],
    );
  });

  test("echo://{message} reads back the message", async () => {
    const r = await server.client.readResource({ uri: "echo://hello" });
    assert.deepEqual(r.contents, [{ uri: "echo://hello", mimeType: "text/plain", text: "Resource echo: hello" }]);
    const encoded = await server.client.readResource({ uri: "echo://hello%20world" });
    assert.equal(contentsText(encoded), "Resource echo: hello world");
  });

  test("echo_tool echoes", async () => {
    const r = await server.client.callTool({ name: "echo_tool", arguments: { message: "ping" } });
    assert.deepEqual(r.content, [{ type: "text", text: "Tool echo: ping" }]);
    assert.equal(r.isError, undefined);
    const bad = await server.client.callTool({ name: "echo_tool", arguments: {} });
    assert.equal(bad.isError, true);
    assert.match(textOf(bad), /message/);
  });

  test("echo_prompt renders its template", async () => {
    const r = await server.client.getPrompt({ name: "echo_prompt", arguments: { message: "hi there" } });
    assert.deepEqual(r.messages, [{ role: "user", content: { type: "text", text: "Please process this message: hi there" } }]);
  });
});
