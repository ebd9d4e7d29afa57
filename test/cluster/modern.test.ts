/**
 * Issue 18, "2026-07-28 stateless requests and an input-required round trip continued on
 * another node": the official v2 client negotiates 2026-07-28 through nginx over three
 * nodes; each retry of a multi-round call lands on another node than the round before it,
 * and opens there because every node seals requestState with the key shared through
 * Redis (no MCP_REQUEST_STATE_SECRET is set).
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import { Deployment, missingBinaries } from "./infra.js";

const skip = missingBinaries();

describe("scale-out: 2026-07-28 over three nodes", { skip, timeout: 180_000 }, () => {
  let d: Deployment;
  before(async () => {
    const env: Record<string, string> = {};
    d = await Deployment.start(3, env);
  });
  after(() => d?.stop());

  test("stateless requests and input-required rounds continue on whichever node gets the retry", async () => {
    assert.equal(process.env.MCP_REQUEST_STATE_SECRET, undefined, "the nodes share Redis's key, not one from the environment");
    const posts: { upstream: string; body: string }[] = [];
    const fetchNoting = async (input: string | URL | Request, init?: RequestInit) => {
      const response = await fetch(input, init);
      if (init?.method === "POST") posts.push({ upstream: response.headers.get("x-upstream") ?? "?", body: String(init.body) });
      return response;
    };
    const asked: string[] = [];
    const client = new Client({ name: "official-v2", version: "2.4.0" }, { capabilities: { elicitation: {} }, versionNegotiation: { mode: "auto" as const } });
    client.setRequestHandler("elicitation/create", async (request) => {
      asked.push(request.params.message);
      const content: Record<string, string> = request.params.message.startsWith("Step 1") ? { name: "Ada" } : { color: "teal" };
      return { action: "accept" as const, content };
    });
    await client.connect(new StreamableHTTPClientTransport(new URL(d.nginx!.url), { fetch: fetchNoting }));
    try {
      assert.equal(client.getNegotiatedProtocolVersion(), "2026-07-28");
      for (let i = 0; i < 3; i++) {
        const simple = await client.callTool({ name: "test_simple_text", arguments: {} });
        assert.equal((simple.content as { text: string }[])[0]!.text, "This is a simple text response for testing.");
      }
      let crossed = 0;
      for (let i = 0; i < 3; i++) {
        const from = posts.length;
        const result = await client.callTool({ name: "test_input_required_result_multi_round", arguments: {} });
        assert.equal((result.content as { text: string }[])[0]!.text, "name=Ada, color=teal");
        const rounds = posts.slice(from).filter((p) => p.body.includes("test_input_required_result_multi_round"));
        assert.equal(rounds.length, 3, "three rounds: two inputs, then the result");
        for (let r = 1; r < rounds.length; r++) if (rounds[r]!.upstream !== rounds[r - 1]!.upstream) crossed++;
        assert.ok(rounds.slice(1).every((p) => p.body.includes("requestState")), "each retry carries the sealed state");
      }
      assert.ok(crossed > 0, "round robin continued at least one round on another node");
      assert.equal(asked.length, 6);
    } finally {
      await client.close();
    }
  });
});
