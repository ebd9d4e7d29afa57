/**
 * Issue 18, "resumability": the node holding a client's streams (its GET stream and a call
 * in flight) is killed with SIGKILL. The SDK client reconnects through nginx with
 * Last-Event-ID, lands on another node, and gets exactly the events it missed (updates
 * other nodes stored meanwhile: each once, none lost); its call on the dead node gets a
 * JSON-RPC error once the node's heartbeat lapses (MCP_NODE_TIMEOUT_MS), never a hang.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { ResourceUpdatedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { connectClient, type ClusterClient } from "./client.js";
import { Deployment, missingBinaries, redisCommand, until } from "./infra.js";

const skip = missingBinaries();
const NODE_TIMEOUT_MS = 1500;

describe("scale-out: a node dies under a client's streams", { skip, timeout: 240_000 }, () => {
  let d: Deployment;
  let cc: ClusterClient;
  before(async () => {
    d = await Deployment.start(3, { MCP_NODE_TIMEOUT_MS: String(NODE_TIMEOUT_MS) });
    cc = await connectClient(d.nginx!.url);
  });
  after(async () => {
    await cc?.client.close().catch(() => undefined);
    await d?.stop();
  });

  test("SIGKILL: the resumed GET stream gets exactly the missed events; the call in flight gets an error within the bound", async () => {
    const sid = cc.transport.sessionId!;
    const updates: string[] = [];
    cc.client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void updates.push(n.params.uri));
    await cc.client.subscribeResource({ uri: "test://watched-resource" });
    await until(() => cc.hops.some((h) => h.what === "GET" && h.status === 200), "the GET stream");
    const getHop = cc.hops.find((h) => h.what === "GET" && h.status === 200)!;
    const victim = d.nodeAt(getHop.upstream);

    // A call that stays in flight (its elicitation is never answered), on the GET stream's node.
    let call: Promise<unknown> | undefined;
    for (let attempt = 0; attempt < 12 && !call; attempt++) {
      let asked!: (release: (answer: Record<string, unknown>) => void) => void;
      const question = new Promise<(answer: Record<string, unknown>) => void>((r) => (asked = r));
      cc.elicit = () => new Promise((resolve) => asked(resolve));
      const before = cc.hops.length;
      const pending = cc.client.callTool({ name: "test_elicitation", arguments: { message: `attempt ${attempt}` } }, undefined, { timeout: 120_000 });
      const answer = await question;
      const hop = cc.hops.slice(before).find((h) => h.what === "tools/call")!;
      if (d.nodeAt(hop.upstream) === victim) {
        call = pending.then(
          () => assert.fail("the call on the dead node was answered"),
          (error: Error) => error,
        );
      } else {
        answer({ action: "decline" });
        await pending;
      }
    }
    assert.ok(call, "round robin put a call on the GET stream's node");
    // Some updates arrived over the GET stream before the kill.
    await until(() => updates.length >= 2, "updates before the kill", 20_000);

    const killedAt = Date.now();
    await victim.stop("SIGKILL");
    const error = (await call) as Error;
    const elapsed = Date.now() - killedAt;
    assert.match(error.message, /node running this request stopped/);
    assert.ok(elapsed < NODE_TIMEOUT_MS + 15_000, `the error came ${elapsed} ms after the kill`);
    console.log(`# node-loss: error for the in-flight call ${elapsed} ms after SIGKILL (MCP_NODE_TIMEOUT_MS=${NODE_TIMEOUT_MS})`);

    // Updates go on from the two nodes left; the client's GET stream resumed on one of them.
    const atKill = updates.length;
    await until(() => updates.length >= atKill + 3, "updates after the kill", 30_000);
    await cc.client.unsubscribeResource({ uri: "test://watched-resource" });
    const redis = await redisCommand(d.redis!.url);
    try {
      const stored = (await redis.send(["XRANGE", `mcp:ev:${sid}.0`, "-", "+"])) as [string, string[]][];
      const storedUpdates = stored.filter(([, f]) => f[1]!.includes("notifications/resources/updated")).length;
      await until(() => updates.length >= storedUpdates, "every stored update at the client", 10_000);
      assert.equal(updates.length, storedUpdates, "every update stored for the GET stream reached the client once");
    } finally {
      await redis.close();
    }
    const resumed = cc.hops.filter((h) => h.what === "GET" && h.lastEventId !== undefined && h.status === 200);
    assert.ok(resumed.length >= 1, "the client resumed with Last-Event-ID");
    assert.ok(resumed.every((h) => h.upstream !== getHop.upstream), "on another node");
  });
});
