/**
 * The official SDK client through nginx, with a fetch that notes which node answered each
 * request (nginx's `X-Upstream` header), so tests can show a request and its follow-up
 * landed on different nodes.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { CreateMessageRequestSchema, ElicitRequestSchema } from "@modelcontextprotocol/sdk/types.js";

export interface Hop {
  method: string;
  /** The JSON-RPC method or `response`, for POSTs; `GET` or `DELETE` otherwise. */
  what: string;
  upstream: string;
  status: number;
  lastEventId?: string;
}

export interface ClusterClient {
  client: Client;
  transport: StreamableHTTPClientTransport;
  hops: Hop[];
  /** Answers to elicitation requests come from here (default: accept with a fixed user). */
  elicit: (params: Record<string, unknown>) => Promise<Record<string, unknown>>;
}

function describe(body: unknown): string {
  if (typeof body !== "string") return "?";
  try {
    const m = JSON.parse(body) as { method?: string } | { method?: string }[];
    const first = Array.isArray(m) ? m[0] : m;
    return first?.method ?? "response";
  } catch {
    return "?";
  }
}

export async function connectClient(url: string, name = "cluster-test"): Promise<ClusterClient> {
  const hops: Hop[] = [];
  const fetchNoting = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const headers = new Headers(init?.headers);
    // Noted when sent: the answer of a routed message may come back before this request's own.
    const hop: Hop = {
      method: init?.method ?? "GET",
      what: init?.method === "POST" ? describe(init.body) : (init?.method ?? "GET"),
      upstream: "?",
      status: 0,
      lastEventId: headers.get("last-event-id") ?? undefined,
    };
    hops.push(hop);
    const response = await fetch(input, init);
    hop.upstream = response.headers.get("x-upstream") ?? "-";
    hop.status = response.status;
    return response;
  };
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    fetch: fetchNoting,
    reconnectionOptions: { initialReconnectionDelay: 100, maxReconnectionDelay: 1000, reconnectionDelayGrowFactor: 1.5, maxRetries: 50 },
  });
  const client = new Client({ name, version: "1.0.0" }, { capabilities: { elicitation: {}, sampling: {} } });
  const cc: ClusterClient = {
    client,
    transport,
    hops,
    elicit: async () => ({ action: "accept", content: { username: "ada", email: "ada@example.com" } }),
  };
  client.setRequestHandler(ElicitRequestSchema, async (request) => (await cc.elicit(request.params as Record<string, unknown>)) as never);
  client.setRequestHandler(CreateMessageRequestSchema, async (request) => {
    const first = request.params.messages[0]?.content;
    const text = first && !Array.isArray(first) && first.type === "text" ? first.text : "?";
    return { model: "test-model", role: "assistant", content: { type: "text", text: `echo: ${text}` } };
  });
  await client.connect(transport);
  return cc;
}

/** The text of a tool result's first content block. */
export function textOf(result: unknown): string {
  const content = (result as { content?: { type: string; text?: string }[] }).content ?? [];
  return content.map((c) => c.text ?? "").join("");
}
