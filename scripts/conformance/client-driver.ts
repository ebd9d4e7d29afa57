/**
 * A small MCP client application for the conformance suite's client scenarios:
 * `conformance client --command "node --import tsx scripts/conformance/client-driver.ts" --scenario S`.
 *
 * The harness starts a mock server and runs this with the server's URL as the last
 * argument and the scenario's name in MCP_CONFORMANCE_SCENARIO (plus, for some
 * scenarios, MCP_CONFORMANCE_CONTEXT as JSON and MCP_CONFORMANCE_PROTOCOL_VERSION).
 * For each scenario it does what an ordinary client application would: connect with the
 * runtime's McpClient over Streamable HTTP (falling back to HTTP+SSE for old servers),
 * list the tools, call the one the scenario is about, and answer the server's requests
 * the way a person at a form would (accept an elicitation form as pre-filled). For the
 * auth/* scenarios it is an app that signs in with the runtime's OAuthClientProvider
 * (the suite's authorization servers approve at once, so the headless redirect handling
 * stands in for the browser), then lists the tools and calls the first.
 *
 * Everything protocol-related is the runtime's job: nothing here works around it.
 * Exit code 0 when the scenario's client side ran to completion, 1 otherwise.
 */
import {
  McpClient,
  OAuthClientProvider,
  connectWithFallback,
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
      // Speak the revision the harness runs at, when the runtime speaks it too.
      protocolVersion: requestedVersion && isSupportedVersion(requestedVersion) ? requestedVersion : undefined,
      timeoutMs: 20_000,
    },
  );
  const { kind } = await connectWithFallback(client, url, { ...scenario_.transport?.(), onerror: (e) => log(`transport: ${e.message}`) });
  log(`scenario ${scenario} over ${kind} at ${url}`);
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
