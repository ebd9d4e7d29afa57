/**
 * examples/conformance: the fixture server of the official conformance suite, driven here
 * over stdio by the official SDK client. Every fixture item is checked against what the
 * suite's scenarios expect (exact names, texts and shapes); the suite itself runs over HTTP
 * with `npm run conformance`.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  LoggingMessageNotificationSchema,
  ProgressNotificationSchema,
  PromptListChangedNotificationSchema,
  ResourceListChangedNotificationSchema,
  ResourceUpdatedNotificationSchema,
  ToolListChangedNotificationSchema,
  type ElicitRequest,
  type ElicitResult,
} from "@modelcontextprotocol/sdk/types.js";
import { typecheck } from "../generator/helpers.js";
import { Inbox } from "../runtime/helpers.js";
import { connectExample, contentsText, exampleDir, mcpgenCheck, textOf, type Connected } from "./helpers.js";

const dir = exampleDir("conformance");
const asset = (name: string) => readFileSync(join(dir, "assets", name)).toString("base64");

/** The inputSchema the suite's json-schema-2020-12 scenario expects, keyword for keyword. */
const JSON_SCHEMA_2020_12_INPUT = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  type: "object",
  $defs: {
    address: {
      $anchor: "addressDef",
      type: "object",
      properties: { street: { type: "string" }, city: { type: "string" } },
    },
  },
  properties: {
    name: { type: "string" },
    address: { $ref: "#/$defs/address" },
    contactMethod: { type: "string", enum: ["phone", "email"] },
    phone: { type: "string" },
    email: { type: "string" },
  },
  allOf: [{ anyOf: [{ required: ["phone"] }, { required: ["email"] }] }],
  if: { properties: { contactMethod: { const: "phone" } }, required: ["contactMethod"] },
  then: { required: ["phone"] },
  else: { required: ["email"] },
  additionalProperties: false,
};

const STATIC_TOOLS = [
  // The tasks extension's fixture tools (the suite's tasks-* scenarios call them).
  "confirm_delete",
  "failing_job",
  "greet",
  "json_schema_2020_12_tool",
  "multi_input",
  "protocol_error_job",
  "slow_compute",
  "test_audio_content",
  "test_custom_header",
  "test_elicitation",
  "test_elicitation_sep1034_defaults",
  "test_elicitation_sep1330_enums",
  "test_embedded_resource",
  "test_error_handling",
  "test_image_content",
  "test_input_required_result_capabilities",
  "test_input_required_result_elicitation",
  "test_input_required_result_list_roots",
  "test_input_required_result_multi_round",
  "test_input_required_result_multiple_inputs",
  "test_input_required_result_request_state",
  "test_input_required_result_sampling",
  "test_input_required_result_tampered_state",
  "test_logging_tool",
  "test_missing_capability",
  "test_multiple_content_types",
  "test_reconnection",
  "test_sampling",
  "test_simple_text",
  "test_streaming_elicitation",
  "test_tool_with_logging",
  "test_tool_with_progress",
  "test_tool_with_task",
  "test_trigger_prompt_change",
  "test_trigger_tool_change",
];
const STATIC_RESOURCES = ["test://static-binary", "test://static-text", "test://watched-resource"];
const STATIC_PROMPTS = [
  "test_input_required_result_prompt",
  "test_prompt_with_arguments",
  "test_prompt_with_embedded_resource",
  "test_prompt_with_image",
  "test_simple_prompt",
];

interface Note {
  method: string;
  params: any;
}

describe("examples/conformance", () => {
  let server: Connected;
  const notes = new Inbox<Note>();
  const elicitRequests: ElicitRequest["params"][] = [];
  const samplingRequests: any[] = [];
  /** What the elicitation handler answers next. */
  let nextElicit: ElicitResult = { action: "cancel" };
  /** The lists as they were right after connecting, before the dynamic items appeared. */
  let initial: { tools: string[]; resources: string[]; prompts: string[] };

  before(async () => {
    server = await connectExample("conformance", {
      capabilities: { elicitation: { form: {} }, sampling: {} },
      setup(client) {
        client.setRequestHandler(ElicitRequestSchema, async (request) => {
          elicitRequests.push(request.params);
          return nextElicit;
        });
        client.setRequestHandler(CreateMessageRequestSchema, async (request) => {
          samplingRequests.push(request.params);
          return { role: "assistant", model: "test-model", content: { type: "text", text: "This is a test response from the client" } };
        });
        for (const schema of [
          LoggingMessageNotificationSchema,
          ProgressNotificationSchema,
          ToolListChangedNotificationSchema,
          ResourceListChangedNotificationSchema,
          PromptListChangedNotificationSchema,
          ResourceUpdatedNotificationSchema,
        ]) {
          client.setNotificationHandler(schema as typeof LoggingMessageNotificationSchema, (n) => {
            notes.push({ method: n.method, params: n.params });
          });
        }
      },
    });
    const { client } = server;
    initial = {
      tools: (await client.listTools()).tools.map((t) => t.name),
      resources: (await client.listResources()).resources.map((r) => r.uri),
      prompts: (await client.listPrompts()).prompts.map((p) => p.name),
    };
  });
  after(() => server?.close());

  const call = (name: string, args?: Record<string, unknown>) =>
    server.client.callTool(args === undefined ? { name } : { name, arguments: args });

  test("generated code is up to date (mcpgen check) and the handlers type-check", async () => {
    const r = await mcpgenCheck("conformance");
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const tc = await typecheck(dir);
    assert.ok(tc.ok, tc.output);
  });

  test("capabilities cover every fixture feature, including items that start disabled", () => {
    assert.deepEqual(server.client.getServerCapabilities(), {
      logging: {},
      tools: { listChanged: true },
      resources: { subscribe: true, listChanged: true },
      prompts: { listChanged: true },
      completions: {},
    });
    assert.equal(server.client.getServerVersion()?.name, "mcpgen-conformance");
  });

  test("tools/list: every fixture tool, each with a description; json_schema_2020_12_tool as written", async () => {
    assert.deepEqual([...initial.tools].sort(), STATIC_TOOLS, "the dynamic tool is not listed at first");
    const { tools } = await server.client.listTools();
    for (const tool of tools) {
      assert.ok(tool.description, `${tool.name} has a description`);
      assert.match(tool.name, /^[A-Za-z0-9_.-]{1,128}$/);
    }
    const schemaTool = tools.find((t) => t.name === "json_schema_2020_12_tool")!;
    assert.deepEqual(schemaTool.inputSchema, JSON_SCHEMA_2020_12_INPUT);
    assert.deepEqual(tools.find((t) => t.name === "test_sampling")!.inputSchema.required, ["prompt"]);
    assert.deepEqual(tools.find((t) => t.name === "test_simple_text")!.inputSchema, { type: "object" });
  });

  test("content tools: text (arguments omitted), image, audio, embedded resource, mixed", async () => {
    const simple = await call("test_simple_text");
    assert.deepEqual(simple.content, [{ type: "text", text: "This is a simple text response for testing." }]);

    assert.deepEqual((await call("test_image_content", {})).content, [{ type: "image", data: asset("red-pixel.png"), mimeType: "image/png" }]);
    assert.deepEqual((await call("test_audio_content", {})).content, [{ type: "audio", data: asset("silence.wav"), mimeType: "audio/wav" }]);
    assert.deepEqual((await call("test_embedded_resource", {})).content, [
      { type: "resource", resource: { uri: "test://embedded-resource", mimeType: "text/plain", text: "This is an embedded resource content." } },
    ]);
    assert.deepEqual((await call("test_multiple_content_types", {})).content, [
      { type: "text", text: "Multiple content types test:" },
      { type: "image", data: asset("red-pixel.png"), mimeType: "image/png" },
      {
        type: "resource",
        resource: { uri: "test://mixed-content-resource", mimeType: "application/json", text: '{"test":"data","value":123}' },
      },
    ]);
  });

  test("test_error_handling is an isError result with the contract's text", async () => {
    const r = await call("test_error_handling", {});
    assert.equal(r.isError, true);
    assert.equal(textOf(r), "This tool intentionally returns an error for testing");
  });

  test("test_tool_with_logging sends three info messages while it runs", async () => {
    await server.client.setLoggingLevel("debug");
    const from = notes.items.length;
    const r = await call("test_tool_with_logging", {});
    assert.equal(textOf(r), "Tool with logging executed successfully");
    const isLog = (n: Note) => n.method === "notifications/message";
    await notes.waitFor((n) => isLog(n) && n.params.data === "Tool execution completed", "the last log message", from);
    const logs = notes.items.slice(from).filter(isLog);
    assert.deepEqual(
      logs.map((n) => [n.params.level, n.params.data]),
      [
        ["info", "Tool execution started"],
        ["info", "Tool processing data"],
        ["info", "Tool execution completed"],
      ],
    );
  });

  test("test_tool_with_progress reports 0, 50 and 100 of 100 on the caller's token", async () => {
    // Our own token, and every notifications/progress recorded: SDK 1.x may deliver
    // progress sent just before a result after the call's own onprogress is gone.
    const r = await server.client.callTool({ name: "test_tool_with_progress", arguments: {}, _meta: { progressToken: "progress-test-1" } });
    assert.equal(textOf(r), "Tool with progress executed successfully");
    const isOurs = (n: Note) => n.method === "notifications/progress" && n.params.progressToken === "progress-test-1";
    await notes.waitFor((n) => isOurs(n) && n.params.progress === 100, "progress 100/100");
    assert.deepEqual(
      notes.filter(isOurs).map((n) => [n.params.progress, n.params.total]),
      [
        [0, 100],
        [50, 100],
        [100, 100],
      ],
    );
  });

  test("test_sampling asks the client's model with maxTokens 100", async () => {
    const r = await call("test_sampling", { prompt: "Test prompt for sampling" });
    assert.equal(textOf(r), "LLM response: This is a test response from the client");
    assert.deepEqual(samplingRequests.at(-1), {
      messages: [{ role: "user", content: { type: "text", text: "Test prompt for sampling" } }],
      maxTokens: 100,
    });
  });

  test("test_elicitation asks for username and email with the caller's message", async () => {
    nextElicit = { action: "accept", content: { username: "testuser", email: "test@example.com" } };
    const r = await call("test_elicitation", { message: "Please provide your information" });
    assert.equal(textOf(r), 'User response: action=accept, content={"username":"testuser","email":"test@example.com"}');
    const request = elicitRequests.at(-1)! as { message: string; requestedSchema: any; mode?: string };
    assert.equal(request.message, "Please provide your information");
    assert.equal(request.mode, "form");
    assert.deepEqual(request.requestedSchema, {
      type: "object",
      properties: {
        username: { type: "string", description: "User's response" },
        email: { type: "string", description: "User's email address" },
      },
      required: ["username", "email"],
    });
  });

  test("test_elicitation_sep1034_defaults: a default for every primitive type", async () => {
    nextElicit = { action: "accept", content: { name: "Jane Smith", age: 25, score: 88, status: "inactive", verified: false } };
    const r = await call("test_elicitation_sep1034_defaults", {});
    assert.match(textOf(r), /^Elicitation completed: action=accept, content=\{"name":"Jane Smith"/);
    const p = (elicitRequests.at(-1) as { requestedSchema: any }).requestedSchema.properties;
    assert.deepEqual(
      Object.fromEntries(Object.entries(p).map(([k, v]: [string, any]) => [k, [v.type, v.default]])),
      { name: ["string", "John Doe"], age: ["integer", 30], score: ["number", 95.5], status: ["string", "active"], verified: ["boolean", true] },
    );
    assert.deepEqual(p.status.enum, ["active", "inactive", "pending"]);
  });

  test("test_elicitation_sep1330_enums: the five enum variants", async () => {
    nextElicit = {
      action: "accept",
      content: {
        untitledSingle: "option1",
        titledSingle: "value1",
        legacyEnum: "opt1",
        untitledMulti: ["option1", "option2"],
        titledMulti: ["value1", "value2"],
      },
    };
    const r = await call("test_elicitation_sep1330_enums", {});
    assert.match(textOf(r), /^Elicitation completed: action=accept/);
    const p = (elicitRequests.at(-1) as { requestedSchema: any }).requestedSchema.properties;
    assert.deepEqual(p.untitledSingle.enum, ["option1", "option2", "option3"]);
    assert.equal(p.untitledSingle.oneOf, undefined);
    assert.deepEqual(p.titledSingle.oneOf[0], { const: "value1", title: "First Option" });
    assert.equal(p.titledSingle.enum, undefined);
    assert.deepEqual(p.legacyEnum.enumNames, ["Option One", "Option Two", "Option Three"]);
    assert.deepEqual(p.untitledMulti.items, { type: "string", enum: ["option1", "option2", "option3"] });
    assert.deepEqual(p.titledMulti.items.anyOf[2], { const: "value3", title: "Third Choice" });

    // A declined form is reported, not an error.
    nextElicit = { action: "decline" };
    assert.equal(textOf(await call("test_elicitation_sep1330_enums", {})), "Elicitation completed: action=decline, content={}");
  });

  test("json_schema_2020_12_tool validates with if/then/else and additionalProperties", async () => {
    const ok = await call("json_schema_2020_12_tool", { name: "Ada", contactMethod: "phone", phone: "555-0100" });
    assert.equal(ok.isError, undefined);
    assert.match(textOf(ok), /"phone":"555-0100"/);
    const missingPhone = await call("json_schema_2020_12_tool", { contactMethod: "phone", email: "ada@example.com" });
    assert.equal(missingPhone.isError, true);
    assert.match(textOf(missingPhone), /phone/);
    const extra = await call("json_schema_2020_12_tool", { email: "ada@example.com", nickname: "ada" });
    assert.equal(extra.isError, true);
  });

  test("test_reconnection completes over stdio, where there is no SSE stream to close", async () => {
    assert.match(textOf(await call("test_reconnection", {})), /^Reconnection test completed successfully/);
  });

  test("resources: list with descriptions, static text and binary, template", async () => {
    assert.deepEqual([...initial.resources].sort(), STATIC_RESOURCES, "the dynamic resource is not listed at first");
    const { resources } = await server.client.listResources();
    for (const r of resources) assert.ok(r.uri && r.name && r.description, `${r.uri} has uri, name and description`);

    const text = await server.client.readResource({ uri: "test://static-text" });
    assert.deepEqual(text.contents, [{ uri: "test://static-text", mimeType: "text/plain", text: "This is the content of the static text resource." }]);
    const binary = await server.client.readResource({ uri: "test://static-binary" });
    assert.deepEqual(binary.contents, [{ uri: "test://static-binary", mimeType: "image/png", blob: asset("red-pixel.png") }]);

    const { resourceTemplates } = await server.client.listResourceTemplates();
    assert.deepEqual(
      resourceTemplates.map((t) => [t.name, t.uriTemplate, t.mimeType]),
      [["template", "test://template/{id}/data", "application/json"]],
    );
    const data = await server.client.readResource({ uri: "test://template/123/data" });
    assert.deepEqual(data.contents, [
      { uri: "test://template/123/data", mimeType: "application/json", text: '{"id":"123","templateTest":true,"data":"Data for ID: 123"}' },
    ]);
    await assert.rejects(server.client.readResource({ uri: "test://nonexistent-resource" }), (e: any) => e.code === -32002);
  });

  test("test://watched-resource: subscribers hear of each change; unsubscribing stops it", async () => {
    const before = contentsText(await server.client.readResource({ uri: "test://watched-resource" }));
    const from = notes.items.length;
    assert.deepEqual(await server.client.subscribeResource({ uri: "test://watched-resource" }), {});
    const isUpdate = (n: Note) => n.method === "notifications/resources/updated" && n.params.uri === "test://watched-resource";
    await notes.waitFor(isUpdate, "resources/updated for test://watched-resource", from);
    const afterUpdate = contentsText(await server.client.readResource({ uri: "test://watched-resource" }));
    assert.notEqual(afterUpdate, before, "the content changed with the update");
    assert.deepEqual(await server.client.unsubscribeResource({ uri: "test://watched-resource" }), {});
  });

  test("prompts: simple, with arguments, embedded resource, image", async () => {
    assert.deepEqual([...initial.prompts].sort(), STATIC_PROMPTS, "the dynamic prompt is not listed at first");
    const { prompts } = await server.client.listPrompts();
    for (const p of prompts) assert.ok(p.description, `${p.name} has a description`);
    assert.deepEqual(
      prompts.find((p) => p.name === "test_prompt_with_arguments")!.arguments,
      [
        { name: "arg1", description: "First test argument", required: true },
        { name: "arg2", description: "Second test argument", required: true },
      ],
    );

    const simple = await server.client.getPrompt({ name: "test_simple_prompt" });
    assert.deepEqual(simple.messages, [{ role: "user", content: { type: "text", text: "This is a simple prompt for testing." } }]);
    const withArgs = await server.client.getPrompt({ name: "test_prompt_with_arguments", arguments: { arg1: "hello", arg2: "world" } });
    assert.deepEqual(withArgs.messages, [{ role: "user", content: { type: "text", text: "Prompt with arguments: arg1='hello', arg2='world'" } }]);
    const embedded = await server.client.getPrompt({ name: "test_prompt_with_embedded_resource", arguments: { resourceUri: "test://example-resource" } });
    assert.deepEqual(embedded.messages, [
      {
        role: "user",
        content: { type: "resource", resource: { uri: "test://example-resource", mimeType: "text/plain", text: "Embedded resource content for testing." } },
      },
      { role: "user", content: { type: "text", text: "Please process the embedded resource above." } },
    ]);
    const withImage = await server.client.getPrompt({ name: "test_prompt_with_image" });
    assert.deepEqual(withImage.messages, [
      { role: "user", content: { type: "image", data: asset("red-pixel.png"), mimeType: "image/png" } },
      { role: "user", content: { type: "text", text: "Please analyze the image above." } },
    ]);
  });

  test("completion: prompt argument arg1 and template variable id", async () => {
    const arg1 = await server.client.complete({ ref: { type: "ref/prompt", name: "test_prompt_with_arguments" }, argument: { name: "arg1", value: "pa" } });
    assert.deepEqual(arg1.completion.values, ["paris", "park", "party"]);
    const none = await server.client.complete({ ref: { type: "ref/prompt", name: "test_prompt_with_arguments" }, argument: { name: "arg2", value: "x" } });
    assert.deepEqual(none.completion.values, [], "an argument without a completer completes to nothing");
    const id = await server.client.complete({ ref: { type: "ref/resource", uri: "test://template/{id}/data" }, argument: { name: "id", value: "4" } });
    assert.deepEqual(id.completion.values, ["456"]);
  });

  test("the 2026-07-28 input tools ask a session-era client with requests: one per input, in order", async () => {
    // The same handlers end a 2026-07-28 call with input_required (npm run conformance covers that era).
    nextElicit = { action: "accept", content: { name: "Ada" } };
    const from = elicitRequests.length;
    assert.equal(textOf(await call("test_input_required_result_elicitation", {})), "Hello, Ada!");
    assert.equal(elicitRequests[from]!.message, "What is your name?");
    const sampled = samplingRequests.length;
    assert.equal(textOf(await call("test_input_required_result_sampling", {})), "Model answered: This is a test response from the client");
    assert.equal(samplingRequests[sampled].messages[0].content.text, "What is the capital of France?");
    nextElicit = { action: "accept", content: { ok: true } };
    assert.equal(textOf(await call("test_input_required_result_request_state", {})), "Confirmed in one call (no requestState in the session era): ok=true");
    // Without the sampling capability it is refused; this client has it, so the model is asked.
    assert.equal(textOf(await call("test_missing_capability", {})), "Sampled: This is a test response from the client");
    assert.equal(textOf(await call("test_custom_header", { region: "eu-west" })), "Region: eu-west");
  });

  test("test_trigger_tool_change and test_trigger_prompt_change switch an item, with list_changed", async () => {
    for (const [tool, kind, item] of [
      ["test_trigger_tool_change", "tools", "test_toggled_tool"],
      ["test_trigger_prompt_change", "prompts", "test_toggled_prompt"],
    ] as const) {
      const from = notes.items.length;
      assert.equal(textOf(await call(tool, {})), `${item} is now enabled`);
      await notes.waitFor((n) => n.method === `notifications/${kind}/list_changed`, `${kind}/list_changed`, from);
      const names = kind === "tools" ? (await server.client.listTools()).tools.map((t) => t.name) : (await server.client.listPrompts()).prompts.map((p) => p.name);
      assert.ok(names.includes(item));
      assert.equal(textOf(await call(tool, {})), `${item} is now disabled`);
    }
  });

  test("logging/setLevel and ping answer {}", async () => {
    assert.deepEqual(await server.client.setLoggingLevel("info"), {});
    assert.deepEqual(await server.client.ping(), {});
  });

  test("the dynamic tool, resource and prompt appear after start, each with list_changed", async () => {
    // Awaited, not slept for: the lifespan enables them 2 s after the server started.
    for (const kind of ["tools", "resources", "prompts"]) {
      await notes.waitFor((n) => n.method === `notifications/${kind}/list_changed`, `${kind}/list_changed`);
    }
    const { client } = server;
    assert.deepEqual((await client.listTools()).tools.map((t) => t.name).sort(), [...STATIC_TOOLS, "test_dynamic_tool"].sort());
    assert.equal(textOf(await call("test_dynamic_tool", {})), "This tool appeared 2 seconds after the server started.");

    assert.ok((await client.listResources()).resources.some((r) => r.uri === "test://dynamic-resource"));
    assert.equal(
      contentsText(await client.readResource({ uri: "test://dynamic-resource" })),
      "This resource appeared 2 seconds after the server started.",
    );

    assert.ok((await client.listPrompts()).prompts.some((p) => p.name === "test_dynamic_prompt"));
    const prompt = await client.getPrompt({ name: "test_dynamic_prompt" });
    assert.deepEqual(prompt.messages, [{ role: "user", content: { type: "text", text: "This prompt appeared 2 seconds after the server started." } }]);
  });
});
