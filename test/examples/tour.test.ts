import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  LoggingMessageNotificationSchema,
  ProgressNotificationSchema,
  type ElicitResult,
} from "@modelcontextprotocol/sdk/types.js";
import { connectExample, contentsText, exampleDir, mcpgenCheck, textOf, type Connected } from "./helpers.js";

const dir = exampleDir("tour");

/** Width and height from a PNG's IHDR chunk. */
function pngSize(base64: string): { width: number; height: number } {
  const b = Buffer.from(base64, "base64");
  assert.equal(b.subarray(1, 4).toString("latin1"), "PNG", "a PNG signature");
  assert.equal(b.subarray(12, 16).toString("latin1"), "IHDR");
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

describe("examples/tour", () => {
  let server: Connected;
  /** What the elicitation handler answers next. */
  let nextElicit: ElicitResult = { action: "cancel" };
  const elicitRequests: { message: string; requestedSchema: unknown }[] = [];
  const samplingRequests: unknown[] = [];
  const logs: { level: string; data: unknown }[] = [];
  const progress: Record<string, unknown>[] = [];

  before(async () => {
    server = await connectExample("tour", {
      capabilities: { elicitation: { form: {} }, sampling: {} },
      setup(client) {
        client.setRequestHandler(ElicitRequestSchema, async (request) => {
          const p = request.params as { message: string; requestedSchema: unknown };
          elicitRequests.push({ message: p.message, requestedSchema: p.requestedSchema });
          return nextElicit;
        });
        client.setRequestHandler(CreateMessageRequestSchema, async (request) => {
          samplingRequests.push(request.params);
          return { role: "assistant", model: "test-model", content: { type: "text", text: "Roses are red,\nthe tide is blue." } };
        });
        client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
          logs.push({ level: n.params.level, data: n.params.data });
        });
        // Not `onprogress` in callTool's options: SDK 1.x dispatches notifications a
        // microtask after responses, so progress sent just before the result reaches it
        // after its handler is gone ("unknown token", typescript-sdk#2580). The test sends
        // its own progressToken and records every notifications/progress instead.
        client.setNotificationHandler(ProgressNotificationSchema, (n) => {
          progress.push({ ...n.params });
        });
      },
    });
  });
  after(() => server?.close());

  const call = (name: string, args: Record<string, unknown> = {}) => server.client.callTool({ name, arguments: args });

  test("generated code is up to date (mcpgen check)", async () => {
    const r = await mcpgenCheck("tour");
    assert.equal(r.code, 0, r.stdout + r.stderr);
  });

  test("server info and instructions", () => {
    assert.deepEqual(
      { name: server.client.getServerVersion()?.name, title: server.client.getServerVersion()?.title },
      { name: "tour", title: "mcpgen Tour" },
    );
    assert.match(server.client.getInstructions() ?? "", /query_db/);
    const caps = server.client.getServerCapabilities();
    assert.ok(caps?.tools && caps.resources && caps.prompts && caps.completions && caps.logging);
  });

  test("tools/list: names, titles, input and output schemas", async () => {
    const { tools } = await server.client.listTools();
    const byName = new Map(tools.map((t) => [t.name, t]));
    assert.deepEqual(
      [...byName.keys()].sort(),
      [
        "book_table", "calculate_bmi", "create_thumbnail", "fetch_weather", "generate_poem", "get_location",
        "get_statistics", "get_temperature", "get_user", "get_weather", "list_cities", "long_task", "query_db",
      ],
    );
    assert.equal(byName.get("calculate_bmi")!.title, "BMI Calculator");
    assert.equal(byName.get("fetch_weather")!.title, "Weather Fetcher");
    assert.deepEqual(byName.get("calculate_bmi")!.annotations, { readOnlyHint: true, openWorldHint: false });
    assert.deepEqual(byName.get("long_task")!.inputSchema, {
      type: "object",
      properties: { files: { type: "array", items: { type: "string" } } },
      required: ["files"],
    });
    // A tool without `input` takes no arguments.
    assert.deepEqual(byName.get("query_db")!.inputSchema, { type: "object" });

    // Object outputs are sent as written, #/types references resolved.
    assert.deepEqual(byName.get("get_weather")!.outputSchema, {
      type: "object",
      properties: {
        temperature: { type: "number", description: "Temperature in Celsius" },
        humidity: { type: "number", description: "Humidity percentage" },
        condition: { type: "string" },
        wind_speed: { type: "number" },
      },
      required: ["temperature", "humidity", "condition", "wind_speed"],
    });
    assert.deepEqual(byName.get("get_location")!.outputSchema?.required, ["latitude", "longitude", "name"]);
    assert.deepEqual(byName.get("get_user")!.outputSchema?.required, ["name", "age"]);
    assert.deepEqual(byName.get("get_statistics")!.outputSchema, { type: "object", additionalProperties: { type: "number" } });

    // Other outputs are wrapped in {result}.
    const wrapped = (schema: unknown) => ({ type: "object", properties: { result: schema }, required: ["result"] });
    assert.deepEqual(byName.get("list_cities")!.outputSchema, wrapped({ type: "array", items: { type: "string" } }));
    assert.deepEqual(byName.get("get_temperature")!.outputSchema, wrapped({ type: "number" }));
    assert.deepEqual(byName.get("calculate_bmi")!.outputSchema, wrapped({ type: "number" }));

    for (const name of ["fetch_weather", "create_thumbnail", "long_task", "book_table", "generate_poem", "query_db"]) {
      assert.equal(byName.get(name)!.outputSchema, undefined, `${name} has no outputSchema`);
    }
  });

  test("resources/list and resources/templates/list", async () => {
    const { resources } = await server.client.listResources();
    assert.deepEqual(resources, [
      {
        name: "get_config",
        uri: "config://app",
        title: "Application Configuration",
        description: "Static configuration data.",
        mimeType: "text/plain",
      },
    ]);
    const { resourceTemplates } = await server.client.listResourceTemplates();
    assert.deepEqual(
      resourceTemplates.map((t) => [t.name, t.uriTemplate, t.title]).sort(),
      [
        ["get_user_profile", "users://{user_id}/profile", "User Profile"],
        ["github_repo", "github://repos/{owner}/{repo}", "GitHub Repository"],
      ],
    );
  });

  test("reads config://app, users://{user_id}/profile and github://repos/{owner}/{repo}", async () => {
    const config = await server.client.readResource({ uri: "config://app" });
    assert.deepEqual(config.contents, [{ uri: "config://app", mimeType: "text/plain", text: "App configuration here" }]);
    const profile = await server.client.readResource({ uri: "users://42/profile" });
    assert.deepEqual(profile.contents, [{ uri: "users://42/profile", mimeType: "text/plain", text: "Profile data for user 42" }]);
    const repo = await server.client.readResource({ uri: "github://repos/modelcontextprotocol/python-sdk" });
    assert.equal(contentsText(repo), "Repository: modelcontextprotocol/python-sdk");
  });

  test("completion of {repo} depends on the owner in the context", async () => {
    const ref = { type: "ref/resource" as const, uri: "github://repos/{owner}/{repo}" };
    const complete = async (value: string, owner?: string) =>
      (
        await server.client.complete({
          ref,
          argument: { name: "repo", value },
          ...(owner !== undefined ? { context: { arguments: { owner } } } : {}),
        })
      ).completion.values;
    assert.deepEqual(await complete("", "modelcontextprotocol"), ["python-sdk", "typescript-sdk", "specification"]);
    assert.deepEqual(await complete("py", "modelcontextprotocol"), ["python-sdk"]);
    assert.deepEqual(await complete("s", "modelcontextprotocol"), ["specification"]);
    assert.deepEqual(await complete("zz", "modelcontextprotocol"), []);
    assert.deepEqual(await complete("py", "someone-else"), []);
    assert.deepEqual(await complete("py"), []);
  });

  test("calculate_bmi returns {result: weight / height²}", async () => {
    const r = await call("calculate_bmi", { weight_kg: 70, height_m: 1.75 });
    const bmi = 70 / 1.75 ** 2;
    assert.deepEqual(r.structuredContent, { result: bmi });
    // The text is the bare value's JSON, as the Python SDK sends it.
    assert.equal(textOf(r), JSON.stringify(bmi));
    const bad = await call("calculate_bmi", { weight_kg: 70, height_m: 0 });
    assert.equal(bad.isError, true, "height must be > 0 (exclusiveMinimum)");
  });

  test("fetch_weather answers from its local table", async () => {
    assert.deepEqual((await call("fetch_weather", { city: "London" })).content, [{ type: "text", text: "London: 14°C, light rain" }]);
    assert.match(textOf(await call("fetch_weather", { city: "Atlantis" })), /^Atlantis: no report available/);
  });

  test("structured tools return structuredContent and its JSON as text (a wrapped value's own JSON)", async () => {
    const cases: [string, Record<string, unknown>, unknown][] = [
      ["get_weather", { city: "London" }, { temperature: 22.5, humidity: 45, condition: "sunny", wind_speed: 5.2 }],
      ["get_location", { address: "Westminster" }, { latitude: 51.5074, longitude: -0.1278, name: "London, UK" }],
      ["get_statistics", { data_type: "sales" }, { mean: 42.5, median: 40, std_dev: 5.2 }],
      ["get_user", { user_id: "1" }, { name: "Alice", age: 30, email: "alice@example.com" }],
      ["get_user", { user_id: "2" }, { name: "Bob", age: 25 }],
      ["list_cities", {}, { result: ["London", "Paris", "Tokyo"] }],
      ["get_temperature", { city: "Paris" }, { result: 22.5 }],
    ];
    for (const [name, args, expected] of cases) {
      const r = await call(name, args);
      assert.equal(r.isError, undefined, `${name}: ${textOf(r)}`);
      assert.deepEqual(r.structuredContent, expected, name);
      const wrapped = name === "list_cities" || name === "get_temperature";
      assert.deepEqual(JSON.parse(textOf(r)), wrapped ? (expected as { result: unknown }).result : expected, `${name} text block`);
    }
    const missing = await call("get_user", { user_id: "nobody" });
    assert.equal(missing.isError, true);
    assert.equal(textOf(missing), "No user with id nobody");
    assert.equal(missing.structuredContent, undefined);
  });

  test("create_thumbnail returns a small PNG as it is", async () => {
    const path = join(dir, "assets", "sample.png");
    const r = await call("create_thumbnail", { image_path: path });
    assert.equal(r.isError, undefined, textOf(r));
    const [block] = r.content as { type: string; data: string; mimeType: string }[];
    assert.equal(block!.type, "image");
    assert.equal(block!.mimeType, "image/png");
    assert.equal(block!.data, readFileSync(path).toString("base64"));
  });

  test("create_thumbnail makes a PNG fitted in 100x100 for a larger image", async () => {
    const r = await call("create_thumbnail", { image_path: join(dir, "assets", "landscape.png") }); // 400x200
    const [block] = r.content as { type: string; data: string; mimeType: string }[];
    assert.equal(block!.type, "image");
    assert.equal(block!.mimeType, "image/png");
    assert.deepEqual(pngSize(block!.data), { width: 100, height: 50 });
  });

  test("create_thumbnail reports missing files and files outside its folder alike, as tool errors", async () => {
    const missing = await call("create_thumbnail", { image_path: join(dir, "assets", "nope.png") });
    assert.equal(missing.isError, true);
    assert.match(textOf(missing), /Cannot read .*nope\.png: No such file in the allowed folders$/);
    const outside = await call("create_thumbnail", { image_path: join(dir, "mcp.yaml") });
    assert.equal(outside.isError, true);
    assert.match(textOf(outside), /Cannot read .*mcp\.yaml: No such file in the allowed folders$/);
    // Relative paths are relative to the folder (examples/tour/assets here).
    assert.equal((await call("create_thumbnail", { image_path: "sample.png" })).isError, undefined);
  });

  test("long_task logs, reports progress per file and reads config://app", async () => {
    logs.length = 0;
    progress.length = 0;
    const r = await server.client.callTool({
      name: "long_task",
      arguments: { files: ["a.txt", "b.txt", "c.txt"] },
      _meta: { progressToken: "long-task-1" },
    });
    assert.deepEqual(r.content, [{ type: "text", text: "Processing complete: 3 files" }]);
    assert.deepEqual(progress, [
      { progressToken: "long-task-1", progress: 1, total: 3, message: "Processed a.txt" },
      { progressToken: "long-task-1", progress: 2, total: 3, message: "Processed b.txt" },
      { progressToken: "long-task-1", progress: 3, total: 3, message: "Processed c.txt" },
    ]);
    assert.deepEqual(logs, [
      { level: "info", data: "Using configuration: App configuration here" },
      { level: "info", data: "Processing a.txt" },
      { level: "info", data: "Processing b.txt" },
      { level: "info", data: "Processing c.txt" },
    ]);
  });

  test("long_task without a progress token sends no progress, and logs honour logging/setLevel", async () => {
    logs.length = 0;
    progress.length = 0;
    await server.client.setLoggingLevel("warning");
    try {
      const r = await call("long_task", { files: ["x"] });
      assert.equal(textOf(r), "Processing complete: 1 file");
      assert.deepEqual(logs, []);
      assert.deepEqual(progress, []);
    } finally {
      await server.client.setLoggingLevel("debug");
    }
  });

  test("book_table elicits the confirm form: accept with confirm true", async () => {
    elicitRequests.length = 0;
    nextElicit = { action: "accept", content: { confirm: true, notes: "window seat" } };
    const r = await call("book_table", { date: "2025-12-24", party_size: 4 });
    assert.equal(textOf(r), "[SUCCESS] Booked a table for 4 on 2025-12-24 (notes: window seat)");
    assert.equal(elicitRequests.length, 1);
    assert.equal(elicitRequests[0]!.message, "Confirm a table for 4 on 2025-12-24?");
    assert.deepEqual(elicitRequests[0]!.requestedSchema, {
      type: "object",
      properties: {
        confirm: { type: "boolean", description: "Confirm the booking?" },
        notes: { type: "string", description: "Special requests", default: "" },
      },
      required: ["confirm"],
    });
  });

  test("book_table: accept without notes, accept with confirm false, decline, cancel", async () => {
    nextElicit = { action: "accept", content: { confirm: true } };
    assert.equal(textOf(await call("book_table", { date: "2025-12-24", party_size: 2 })), "[SUCCESS] Booked a table for 2 on 2025-12-24");
    nextElicit = { action: "accept", content: { confirm: false, notes: "" } };
    assert.equal(textOf(await call("book_table", { date: "2025-12-24", party_size: 2 })), "[CANCELLED] Booking for 2025-12-24 not confirmed");
    nextElicit = { action: "decline" };
    assert.equal(textOf(await call("book_table", { date: "2025-12-24", party_size: 2 })), "[DECLINED] The user declined to confirm the booking");
    nextElicit = { action: "cancel" };
    assert.equal(textOf(await call("book_table", { date: "2025-12-24", party_size: 2 })), "[CANCELLED] The user dismissed the booking request");
  });

  test("book_table validates its input (party_size minimum 1)", async () => {
    const r = await call("book_table", { date: "2025-12-24", party_size: 0 });
    assert.equal(r.isError, true);
  });

  test("generate_poem samples the client's model", async () => {
    samplingRequests.length = 0;
    const r = await call("generate_poem", { topic: "the sea" });
    assert.deepEqual(r.content, [{ type: "text", text: "Roses are red,\nthe tide is blue." }]);
    assert.equal(samplingRequests.length, 1);
    assert.deepEqual(samplingRequests[0], {
      messages: [{ role: "user", content: { type: "text", text: "Write a short poem about the sea" } }],
      maxTokens: 100,
    });
  });

  test("query_db uses the database opened by the lifespan (ctx.app)", async () => {
    const r = await call("query_db");
    assert.equal(textOf(r), "1\tAlice\tadmin\n2\tBob\teditor\n3\tCarol\tviewer");
  });

  test("prompts: review_code (template) and debug_error (messages)", async () => {
    const { prompts } = await server.client.listPrompts();
    const byName = new Map(prompts.map((p) => [p.name, p]));
    assert.deepEqual([...byName.keys()].sort(), ["debug_error", "review_code"]);
    assert.equal(byName.get("review_code")!.title, "Code Review");
    assert.deepEqual(byName.get("review_code")!.arguments, [{ name: "code", description: "The code to review", required: true }]);
    assert.equal(byName.get("debug_error")!.title, "Debug Assistant");
    assert.deepEqual(byName.get("debug_error")!.arguments, [{ name: "error", description: "The error message", required: true }]);

    const review = await server.client.getPrompt({ name: "review_code", arguments: { code: "print(1 + 1)" } });
    assert.deepEqual(review.messages, [
      { role: "user", content: { type: "text", text: "Please review this code:\n\nprint(1 + 1)" } },
    ]);
    const debug = await server.client.getPrompt({ name: "debug_error", arguments: { error: "TypeError: x is undefined" } });
    assert.deepEqual(debug.messages, [
      { role: "user", content: { type: "text", text: "I'm seeing this error:" } },
      { role: "user", content: { type: "text", text: "TypeError: x is undefined" } },
      { role: "assistant", content: { type: "text", text: "I'll help debug that. What have you tried so far?" } },
    ]);
  });

  test("a client without the elicitation or sampling capability gets a protocol error naming it", async () => {
    const plain = await connectExample("tour");
    try {
      await assert.rejects(
        plain.client.callTool({ name: "book_table", arguments: { date: "2025-12-24", party_size: 2 } }),
        (error: { code?: number; message: string }) => error.code === -32600 && /'elicitation' capability/.test(error.message),
      );
      await assert.rejects(
        plain.client.callTool({ name: "generate_poem", arguments: { topic: "the sea" } }),
        (error: { code?: number; message: string }) => error.code === -32600 && /'sampling' capability/.test(error.message),
      );
    } finally {
      await plain.close();
    }
  });
});
