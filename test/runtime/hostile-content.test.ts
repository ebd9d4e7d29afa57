/**
 * Issue 16, finding 7 (and issue 14, item 7): what a handler returns is checked against
 * the content block shapes before it is sent. A function, a symbol, a bigint, a block
 * of the wrong shape, or NaN/Infinity in structured output is answered -32603 naming
 * the tool (or prompt, or resource), never invalid content or a silent `null` on the
 * wire. A wrapped primitive output's text block is the value's own JSON (`add(2,3)` →
 * `5`), as the Python SDK sends it; object outputs keep their JSON text.
 * The bad-results fixture as a real process: raw JSON-RPC over stdio, and the official
 * SDK client.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { McpError } from "@modelcontextprotocol/sdk/types.js";
import { McpClient, StdioClientTransport, structuredOf } from "../../runtime/src/index.js";
import { RawServer, connectSdk, fixtureCommand, type SdkConnection } from "./helpers.js";

const BAD_TOOLS = [
  "returns_function",
  "returns_symbol",
  "returns_bigint",
  "object_with_bigint",
  "text_without_text",
  "text_number",
  "unknown_type",
  "image_without_data",
  "plain_result_bad_block",
  "tool_result_function_text",
  "number_nan",
  "throws_bad_tool_error",
  "structured_nan",
  "structured_infinity_wrapped",
  "structured_function",
  "tool_result_nan",
];

describe("handler results are checked before they are sent (raw stdio)", { timeout: 30_000 }, () => {
  let server: RawServer;
  before(async () => {
    server = new RawServer("bad-results.ts");
    await server.initialize("2025-11-25");
  });
  after(() => server?.close());

  for (const name of BAD_TOOLS) {
    test(`${name}: -32603 naming the tool, no result on the wire`, async () => {
      const reply = await server.request("tools/call", { name, arguments: {} });
      assert.equal(reply.result, undefined, `no result may be sent: ${JSON.stringify(reply.result)}`);
      assert.equal(reply.error?.code, -32603);
      assert.match(reply.error!.message, new RegExp(`^Tool '${name}' `));
    });
  }

  test("non-finite numbers are named, not sent as null", async () => {
    const nan = await server.request("tools/call", { name: "structured_nan", arguments: {} });
    assert.match(nan.error!.message, /structuredContent\.x is NaN/);
    const inf = await server.request("tools/call", { name: "structured_infinity_wrapped", arguments: {} });
    assert.match(inf.error!.message, /Infinity/);
  });

  test("prompts and resources: invalid messages or contents are -32603 naming them", async () => {
    for (const name of ["prompt_bad_role", "prompt_bad_block"]) {
      const reply = await server.request("prompts/get", { name });
      assert.equal(reply.result, undefined);
      assert.equal(reply.error?.code, -32603);
      assert.match(reply.error!.message, new RegExp(`^Prompt '${name}'`));
    }
    for (const uri of ["bad://function", "bad://nan"]) {
      const reply = await server.request("resources/read", { uri });
      assert.equal(reply.result, undefined);
      assert.equal(reply.error?.code, -32603);
      assert.match(reply.error!.message, new RegExp(`^Resource '${uri}'`));
    }
  });

  test("wrapped primitives: the text is the value's own JSON; objects keep theirs", async () => {
    const add = (await server.request("tools/call", { name: "add", arguments: { a: 2, b: 3 } })).result;
    assert.deepEqual(add.content, [{ type: "text", text: "5" }]);
    assert.deepEqual(add.structuredContent, { result: 5 });
    const tags = (await server.request("tools/call", { name: "tags", arguments: {} })).result;
    assert.deepEqual(tags.content, [{ type: "text", text: '["a","b"]' }]);
    assert.deepEqual(tags.structuredContent, { result: ["a", "b"] });
    const point = (await server.request("tools/call", { name: "point", arguments: {} })).result;
    assert.deepEqual(point.content, [{ type: "text", text: '{"x":1.5}' }]);
    const explicit = (await server.request("tools/call", { name: "wrapped_tool_result", arguments: {} })).result;
    assert.deepEqual(explicit.content, [{ type: "text", text: "7" }]);
    assert.deepEqual(explicit.structuredContent, { result: 7 });
  });

  test("the server printed nothing but JSON-RPC on stdout, and still serves", async () => {
    assert.deepEqual(server.nonJson, []);
    assert.deepEqual((await server.request("ping")).result, {});
  });
});

describe("the official SDK client sees a clear error, not a schema failure", { timeout: 30_000 }, () => {
  let sdk: SdkConnection;
  before(async () => {
    sdk = await connectSdk("bad-results.ts");
  });
  after(() => sdk?.close());

  test("returns_function → McpError -32603 naming the tool; add → 5", async () => {
    await assert.rejects(sdk.client.callTool({ name: "returns_function", arguments: {} }), (error: unknown) => {
      assert.ok(error instanceof McpError, String(error));
      assert.equal(error.code, -32603);
      assert.match(error.message, /Tool 'returns_function' returned an invalid result/);
      return true;
    });
    const add = await sdk.client.callTool({ name: "add", arguments: { a: 2, b: 3 } });
    assert.deepEqual(add.content, [{ type: "text", text: "5" }]);
    assert.deepEqual(add.structuredContent, { result: 5 });
  });
});

describe("the typed client reads a wrapped output from its text, in both forms", { timeout: 30_000 }, () => {
  test("2025-03-26 (no structuredContent): add → 5 from the text block `5`; older servers' `{\"result\":5}` too", async () => {
    const { command, args } = fixtureCommand("bad-results.ts");
    const client = new McpClient({ name: "typed", version: "1" }, { protocolVersion: "2025-03-26" });
    await client.connect(new StdioClientTransport({ command, args, stderr: "ignore" }));
    try {
      const result = await client.callTool("add", { a: 2, b: 3 });
      assert.equal(result.structuredContent, undefined, "2025-03-26 has no structured output");
      assert.equal(structuredOf<number>("add", result, true), 5);
    } finally {
      await client.close();
    }
    assert.equal(structuredOf<number>("add", { content: [{ type: "text", text: '{"result":5}' }] }, true), 5);
    assert.deepEqual(structuredOf<string[]>("tags", { content: [{ type: "text", text: '["a","b"]' }] }, true), ["a", "b"]);
    assert.equal(structuredOf<number>("add", { content: [], structuredContent: { result: 5 } }, true), 5);
  });
});
