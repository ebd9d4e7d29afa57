/**
 * A small MCP client application for the conformance suite's client scenarios:
 * `conformance client --command "node --import tsx scripts/conformance/client-driver.ts" --scenario S`.
 *
 * The harness starts a mock server and runs this with the server's URL as the last
 * argument and the scenario's name in MCP_CONFORMANCE_SCENARIO (plus, for some
 * scenarios, MCP_CONFORMANCE_CONTEXT as JSON and MCP_CONFORMANCE_PROTOCOL_VERSION).
 * For each scenario it does what an ordinary client application would: connect with the
 * runtime's McpClient over Streamable HTTP (falling back to HTTP+SSE for old servers) with
 * `protocolEra: "auto"` (2026-07-28 when the server offers it, else initialize), list the
 * tools, call the one the scenario is about, and answer the server's requests (or, in
 * 2026-07-28, its input-required results) the way a person at a form would (accept an
 * elicitation form as pre-filled). For the auth/* scenarios it is an app that signs in
 * with the runtime's OAuthClientProvider (the suite's authorization servers approve at
 * once, so the headless redirect handling stands in for the browser), then lists the
 * tools and calls the first.
 *
 * Everything protocol-related is the runtime's job: nothing here works around it.
 * Exit code 0 when the scenario's client side ran to completion, 1 otherwise.
 */
import {
  McpClient,
  OAuthClientProvider,
  connectWithFallback,
  isModernVersion,
  isSupportedVersion,
  type ClientOptions,
  type ConnectHttpOptions,
  type ElicitationRequest,
  type ElicitResult,
  type OAuthClientInformation,
  type Tool,
} from "../../runtime/src/index.js";

const url = process.argv[process.argv.length - 1];
const scenario = process.env.MCP_CONFORMANCE_SCENARIO ?? "";
const context: Record<string, unknown> = process.env.MCP_CONFORMANCE_CONTEXT ? JSON.parse(process.env.MCP_CONFORMANCE_CONTEXT) : {};
const requestedVersion = process.env.MCP_CONFORMANCE_PROTOCOL_VERSION;

const log = (line: string) => process.stderr.write(`[client-driver] ${line}\n`);

/**
 * The "user" of this app accepts every elicitation form as it was pre-filled: the fields
 * keep the defaults the server put in the schema (SEP-1034). The runtime fills omitted
 * fields in from the schema's defaults, so accepting with no edits is an empty content.
 */
function acceptAsPrefilled(request: ElicitationRequest): ElicitResult {
  log(`elicitation: "${request.message}" → accept as pre-filled`);
  return { action: "accept", content: {} };
}

interface Scenario {
  /** What the app does once connected. */
  run(client: McpClient): Promise<void>;
  options?: ClientOptions;
  /** Options for the HTTP transport (the auth provider). */
  transport?: () => ConnectHttpOptions;
}

/** Finds a tool by name in the server's list, as an app would before calling it. */
function findTool(tools: Tool[], name: string): Tool {
  const tool = tools.find((t) => t.name === name);
  if (!tool) throw new Error(`the server offers no tool '${name}' (it has: ${tools.map((t) => t.name).join(", ") || "none"})`);
  return tool;
}

/** Calls a tool and fails on an error result. */
async function call(client: McpClient, name: string, args: Record<string, unknown> = {}): Promise<void> {
  const result = await client.callTool(name, args);
  const text = (result.content ?? []).map((c) => ("text" in c ? c.text : `[${c.type}]`)).join(" ");
  log(`${name} → ${result.isError ? "error: " : ""}${text}`);
  if (result.isError) throw new Error(`tool ${name} failed: ${text}`);
}

/**
 * The app's OAuth set-up, the same for every auth scenario: it publishes a client ID
 * metadata document at a fixed https URL (the suite checks that exact client_id), and
 * its redirect URI is a loopback callback. The suite's authorization servers approve
 * without a person, so the default headless redirect handling completes the flow. A
 * pre-registered client comes from the scenario's context when it gives one.
 */
function oauth(): ConnectHttpOptions {
  let clientInformation: OAuthClientInformation | undefined;
  if (typeof context.client_id === "string") {
    clientInformation = { client_id: context.client_id };
    if (typeof context.client_secret === "string") clientInformation.client_secret = context.client_secret;
    if (typeof context.issuer === "string") clientInformation.issuer = context.issuer;
  }
  const provider = new OAuthClientProvider({
    redirectUri: "http://localhost:3000/callback",
    clientMetadata: { client_name: "mcpgen-conformance-client" },
    clientMetadataUrl: "https://conformance-test.local/client-metadata.json",
    clientInformation,
    onEvent: (message) => log(`oauth: ${message}`),
  });
  return { authProvider: provider };
}

/**
 * Arguments for a tool the app knows nothing about: a sample value for each required
 * property, by its declared type (what a form pre-filled with placeholders would send).
 */
function sampleArguments(tool: Tool): Record<string, unknown> {
  const schema = tool.inputSchema as { properties?: Record<string, { type?: unknown }>; required?: unknown };
  const args: Record<string, unknown> = {};
  for (const name of Array.isArray(schema.required) ? (schema.required as string[]) : []) {
    const type = schema.properties?.[name]?.type;
    args[name] = type === "integer" || type === "number" ? 1 : type === "boolean" ? true : type === "object" ? {} : type === "array" ? [] : "example";
  }
  return args;
}

/**
 * A client app with every client feature: it shows forms to its user (accepted as
 * pre-filled), lets the server use its model (a fixed reply stands in for the model),
 * and shares one project root.
 */
const fullFeatured: ClientOptions = {
  onElicitation: acceptAsPrefilled,
  onSampling: (params) => {
    log(`sampling: ${params.messages.length} message(s) → fixed reply`);
    return { role: "assistant", content: { type: "text", text: "A reply from the app's model." }, model: "conformance-model" };
  },
  roots: [{ uri: "file:///workspace/project", name: "project" }],
};

/** An app that signs in to the server (whatever OAuth it asks for), lists its tools and calls one. */
const authorizedApp: Scenario = {
  transport: oauth,
  async run(client) {
    const tools = await client.listTools();
    log(`tools: ${tools.map((t) => t.name).join(", ") || "none"}`);
    const tool = tools[0];
    if (tool) await call(client, tool.name);
  },
};

const SCENARIOS: Record<string, Scenario> = {
  /** Initialize, look at what the server offers, disconnect. */
  initialize: {
    async run(client) {
      log(`connected to ${client.serverInfo?.name} ${client.serverInfo?.version} (protocol ${client.protocolVersion})`);
      log(`tools: ${(await client.listTools()).map((t) => t.name).join(", ") || "none"}`);
    },
  },

  /** Call the server's add_numbers tool with two numbers. */
  tools_call: {
    async run(client) {
      findTool(await client.listTools(), "add_numbers");
      await call(client, "add_numbers", { a: 5, b: 3 });
    },
  },

  /** A tool asks for a form whose fields all have defaults; the user accepts it as is. */
  "elicitation-sep1034-client-defaults": {
    options: { onElicitation: acceptAsPrefilled },
    async run(client) {
      findTool(await client.listTools(), "test_client_elicitation_defaults");
      await call(client, "test_client_elicitation_defaults");
    },
  },

  /** A tool whose SSE stream the server closes early: the runtime must resume it. */
  "sse-retry": {
    async run(client) {
      findTool(await client.listTools(), "test_reconnection");
      await call(client, "test_reconnection");
    },
  },

  /**
   * An app with every client feature connects and looks at the tools (SEP-2575: each
   * request's _meta and MCP-Protocol-Version; the server first refuses the version).
   */
  "request-metadata": {
    options: fullFeatured,
    async run(client) {
      const tools = await client.listTools();
      log(`tools: ${tools.map((t) => t.name).join(", ") || "none"}`);
      if (tools[0]) await call(client, tools[0].name, sampleArguments(tools[0]));
    },
  },

  /**
   * Input-required round trips (SEP-2322): the app calls every tool the server lists, all
   * at once, and answers the forms the calls ask for.
   */
  "sep-2322-client-request-state": {
    options: { onElicitation: acceptAsPrefilled },
    async run(client) {
      const tools = await client.listTools();
      await Promise.all(tools.map((t) => call(client, t.name, sampleArguments(t))));
    },
  },

  /** Browse everything: every tool called, every resource read, every prompt fetched (SEP-2243 headers). */
  "http-standard-headers": {
    async run(client) {
      for (const tool of await client.listTools()) await call(client, tool.name, sampleArguments(tool));
      for (const resource of await client.listResources()) {
        const r = await client.readResource(resource.uri);
        log(`${resource.uri} → ${r.contents.length} content(s)`);
      }
      for (const prompt of await client.listPrompts()) {
        const r = await client.getPrompt(prompt.name);
        log(`prompt ${prompt.name} → ${r.messages.length} message(s)`);
      }
    },
  },

  /** Make the tool calls the scenario's context names (x-mcp-header arguments become Mcp-Param-* headers). */
  "http-custom-headers": {
    async run(client) {
      const tools = await client.listTools();
      const calls = (context.toolCalls ?? []) as { name: string; arguments: Record<string, unknown> }[];
      if (calls.length === 0) throw new Error("the scenario's context names no tool calls");
      for (const c of calls) {
        findTool(tools, c.name);
        await call(client, c.name, c.arguments);
      }
    },
  },

  /** Call every tool the client offers (tools with invalid x-mcp-header annotations are not offered). */
  "http-invalid-tool-headers": {
    options: { onInvalidTool: (tool, reason) => log(`left out tool ${tool.name}: ${reason}`) },
    async run(client) {
      const tools = await client.listTools();
      log(`usable tools: ${tools.map((t) => t.name).join(", ") || "none"}`);
      for (const tool of tools) await call(client, tool.name, sampleArguments(tool));
    },
  },

  /** Look at the tools, whose schemas point at a network $ref (SEP-2106: never fetched). */
  "json-schema-ref-no-deref": {
    async run(client) {
      const tools = await client.listTools();
      for (const tool of tools) log(`tool ${tool.name}: input schema ${JSON.stringify(tool.inputSchema)}`);
    },
  },

  /** Hand the schema of one tool, exactly as received, to another (the echo tool). */
  "json-schema-2020-12-preservation": {
    async run(client) {
      const tools = await client.listTools();
      const focal = findTool(tools, "json_schema_2020_12_tool");
      findTool(tools, "json_schema_echo");
      await call(client, "json_schema_echo", { schema: focal.inputSchema });
    },
  },
};

/**
 * Which protocol era to speak, as an app that supports both would choose without knowing
 * the server: "auto" (ask `server/discover`, speak 2026-07-28 when the server offers it,
 * else initialize). The revision the harness names (MCP_CONFORMANCE_PROTOCOL_VERSION) is
 * the one the app asks for in that initialize when it is a session-era one; the
 * 2026-07-28 one is what the probe finds.
 */
function eraOptions(): ClientOptions {
  if (requestedVersion && !isSupportedVersion(requestedVersion) && !isModernVersion(requestedVersion)) {
    log(`MCP_CONFORMANCE_PROTOCOL_VERSION ${requestedVersion} is not a revision the runtime speaks; leaving the choice to the probe`);
  }
  return { protocolEra: "auto", protocolVersion: requestedVersion && isSupportedVersion(requestedVersion) ? requestedVersion : undefined };
}

async function main(): Promise<number> {
  if (!url || !/^https?:\/\//.test(url)) {
    log(`usage: client-driver <server url> (got ${JSON.stringify(url)})`);
    return 2;
  }
  const scenario_ = SCENARIOS[scenario] ?? (scenario.startsWith("auth/") ? authorizedApp : undefined);
  if (!scenario_) {
    log(`unknown scenario ${JSON.stringify(scenario)}; known: ${Object.keys(SCENARIOS).join(", ")}`);
    return 2;
  }
  if (Object.keys(context).length > 0) log(`context: ${JSON.stringify(context)}`);
  const client = new McpClient(
    { name: "mcpgen-conformance-client", version: "1.0.0" },
    {
      ...scenario_.options,
      ...eraOptions(),
      timeoutMs: 20_000,
    },
  );
  const { kind } = await connectWithFallback(client, url, { ...scenario_.transport?.(), onerror: (e) => log(`transport: ${e.message}`) });
  log(`scenario ${scenario} over ${kind} at ${url}, ${client.era} era (protocol ${client.protocolVersion})`);
  try {
    await scenario_.run(client);
  } finally {
    await client.close();
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
