/**
 * The 2026-07-28 request headers from both ends: `x-mcp-header` declarations (which
 * schemas are valid), the header value encoding (plain or `=?base64?...?=`), the server's
 * comparison, and what the runtime client actually puts on the wire (through a fetch that
 * records each request and answers like a 2026-07-28 server would).
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  McpClient,
  StreamableHttpClientTransport,
  checkParamHeaders,
  decodeHeaderValue,
  encodeHeaderValue,
  paramHeaders,
  scanMcpHeaders,
} from "../../runtime/src/index.js";

describe("x-mcp-header declarations", () => {
  test("valid: primitive properties reached through properties, at any depth", () => {
    const scan = scanMcpHeaders({
      type: "object",
      properties: {
        region: { type: "string", "x-mcp-header": "Region" },
        opts: { type: "object", properties: { dry: { type: "boolean", "x-mcp-header": "Dry-Run" } } },
      },
    });
    assert.deepEqual(scan, {
      valid: true,
      declarations: [
        { path: ["region"], headerName: "Region", type: "string" },
        { path: ["opts", "dry"], headerName: "Dry-Run", type: "boolean" },
      ],
    });
  });

  test("invalid: under anyOf/items, non-primitive or number types, bad tokens, duplicates ignoring case", () => {
    const bad = [
      { type: "object", properties: { a: { type: "array", items: { type: "string", "x-mcp-header": "A" } } } },
      { type: "object", anyOf: [{ properties: { a: { type: "string", "x-mcp-header": "A" } } }] },
      { type: "object", properties: { a: { type: "number", "x-mcp-header": "A" } } },
      { type: "object", properties: { a: { type: "object", "x-mcp-header": "A" } } },
      { type: "object", properties: { a: { type: "string", "x-mcp-header": "has space" } } },
      { type: "object", properties: { a: { type: "string", "x-mcp-header": "" } } },
      { type: "object", properties: { a: { type: "string", "x-mcp-header": "X" }, b: { type: "string", "x-mcp-header": "x" } } },
      { type: "object", "x-mcp-header": "Root" },
    ];
    for (const schema of bad) assert.equal(scanMcpHeaders(schema).valid, false, JSON.stringify(schema));
  });
});

describe("header values", () => {
  test("plain printable ASCII travels as is; anything else in the base64 form", () => {
    const cases: [string, boolean][] = [
      ["us-west1", false],
      ["us west 1", false],
      ["", false],
      ["Hello, 世界", true],
      [" padded ", true],
      [" lead", true],
      ["trail ", true],
      ["line1\nline2", true],
      ["line1\r\nline2", true],
      ["\tindented", true],
    ];
    for (const [text, wrapped] of cases) {
      const v = encodeHeaderValue(text);
      assert.equal(v.startsWith("=?base64?"), wrapped, JSON.stringify(text));
      assert.equal(decodeHeaderValue(v), text, JSON.stringify(text));
    }
  });

  test("decoding: canonical base64 only; half a wrapper is literal", () => {
    assert.equal(decodeHeaderValue("=?base64?SGVsbG8=?="), "Hello");
    assert.equal(decodeHeaderValue("=?base64?SGVsbG8?="), undefined, "padding is required");
    assert.equal(decodeHeaderValue("=?base64?SGVs!!!bG8=?="), undefined);
    assert.equal(decodeHeaderValue("=?base64?/w==?="), undefined, "not UTF-8");
    assert.equal(decodeHeaderValue("=?base64?SGVsbG8="), "=?base64?SGVsbG8=");
    assert.equal(decodeHeaderValue("SGVsbG8=?="), "SGVsbG8=?=");
  });

  test("the server's comparison: numbers numerically, null and absent need no header", () => {
    const decls = [
      { path: ["n"], headerName: "N", type: "integer" as const },
      { path: ["b"], headerName: "B", type: "boolean" as const },
    ];
    const h = (map: Record<string, string>) => (name: string) => map[name];
    assert.equal(checkParamHeaders(decls, { n: 42, b: true }, h({ "mcp-param-n": "42.0", "mcp-param-b": "true" })), undefined);
    assert.match(checkParamHeaders(decls, { n: 42 }, h({ "mcp-param-n": "41" }))!, /says "41"/);
    assert.match(checkParamHeaders(decls, { b: false }, h({}))!, /Mcp-Param-B header is missing/);
    assert.equal(checkParamHeaders(decls, { n: null }, h({})), undefined);
    assert.deepEqual(paramHeaders(decls, { n: 7, b: null }), { "Mcp-Param-N": "7" });
  });
});

describe("the runtime client on the wire (2026-07-28 over HTTP)", () => {
  const TOOLS = [
    {
      name: "custom",
      inputSchema: {
        type: "object",
        properties: {
          region: { type: "string", "x-mcp-header": "Region" },
          priority: { type: "integer", "x-mcp-header": "Priority" },
          verbose: { type: "boolean", "x-mcp-header": "Verbose" },
          empty_val: { type: "string", "x-mcp-header": "EmptyVal" },
          method_val: { type: "string", "x-mcp-header": "Method" },
          non_ascii: { type: "string", "x-mcp-header": "NonAscii" },
          float_val: { type: "number" },
          query: { type: "string" },
        },
      },
    },
    { name: "broken", inputSchema: { type: "object", properties: { a: { type: "number", "x-mcp-header": "A" } } } },
  ];

  /** A fetch that answers like a 2026-07-28 server and keeps every request it got. */
  function fakeServer() {
    const seen: { headers: Headers; body: any }[] = [];
    const fetchFn = async (_url: RequestInfo | URL, init?: RequestInit) => {
      const body = JSON.parse(String(init!.body));
      seen.push({ headers: new Headers(init!.headers), body });
      const meta = { "io.modelcontextprotocol/serverInfo": { name: "fake", version: "1" } };
      let result: Record<string, unknown>;
      switch (body.method) {
        case "server/discover":
          result = { supportedVersions: ["2026-07-28"], capabilities: { tools: {} }, resultType: "complete", ttlMs: 0, cacheScope: "private", _meta: meta };
          break;
        case "tools/list":
          result = { tools: TOOLS, resultType: "complete", ttlMs: 0, cacheScope: "private", _meta: meta };
          break;
        case "tools/call":
          // Round 1 asks; the retry (with answers) completes; no requestState this time.
          result = body.params.inputResponses
            ? { content: [{ type: "text", text: JSON.stringify(body.params.inputResponses) }], resultType: "complete" }
            : { resultType: "input_required", inputRequests: { q: { method: "elicitation/create", params: { message: "?", requestedSchema: { type: "object", properties: {} } } } } };
          break;
        default:
          result = { resultType: "complete" };
      }
      return new Response(JSON.stringify({ jsonrpc: "2.0", id: body.id, result }), { status: 200, headers: { "content-type": "application/json" } });
    };
    return { seen, fetchFn };
  }

  test("standard and Mcp-Param headers, the envelope, invalid tools left out, input rounds without state", async () => {
    const { seen, fetchFn } = fakeServer();
    const invalid: string[] = [];
    const client = new McpClient(
      { name: "wire", version: "1" },
      { protocolEra: "modern", onElicitation: async () => ({ action: "accept", content: {} }), onInvalidTool: (t) => invalid.push(t.name) },
    );
    await client.connect(new StreamableHttpClientTransport("http://fake.test/mcp", { fetch: fetchFn as typeof fetch }));
    const discover = seen[0]!;
    assert.equal(discover.headers.get("mcp-protocol-version"), "2026-07-28");
    assert.equal(discover.headers.get("mcp-method"), "server/discover");
    assert.equal(discover.headers.get("mcp-session-id"), null);
    assert.deepEqual(discover.body.params._meta, {
      "io.modelcontextprotocol/protocolVersion": "2026-07-28",
      "io.modelcontextprotocol/clientCapabilities": { elicitation: { form: {} }, extensions: { "io.modelcontextprotocol/tasks": {} } },
      "io.modelcontextprotocol/clientInfo": { name: "wire", version: "1" },
    });

    assert.deepEqual((await client.listTools()).map((t) => t.name), ["custom"]);
    assert.deepEqual(invalid, ["broken"]);
    const result = await client.callTool("custom", {
      region: "us-west1",
      priority: 42,
      verbose: null,
      empty_val: "",
      method_val: "test-method",
      non_ascii: "Hello, 世界",
      float_val: 3.5,
      query: "SELECT 1",
    });
    assert.equal(result.content[0]!.type, "text");
    const [round1, round2] = seen.filter((s) => s.body.method === "tools/call");
    const h = round1!.headers;
    assert.equal(h.get("mcp-name"), "custom");
    assert.equal(h.get("mcp-param-region"), "us-west1");
    assert.equal(h.get("mcp-param-priority"), "42");
    assert.equal(h.get("mcp-param-verbose"), null, "null arguments are not mirrored");
    assert.equal(h.get("mcp-param-emptyval"), "");
    assert.equal(h.get("mcp-param-method"), "test-method");
    assert.equal(h.get("mcp-method"), "tools/call", "Mcp-Param-Method does not replace Mcp-Method");
    assert.equal(decodeHeaderValue(h.get("mcp-param-nonascii")!), "Hello, 世界");
    assert.equal(h.get("mcp-param-floatval"), null);
    assert.equal(h.get("mcp-param-query"), null);
    assert.notEqual(round2!.body.id, round1!.body.id, "a retry is a new request");
    assert.deepEqual(round2!.body.params.inputResponses, { q: { action: "accept", content: {} } });
    assert.equal("requestState" in round2!.body.params, false, "no state given: none echoed");
    await client.close();
  });
});
