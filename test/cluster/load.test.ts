/**
 * Issue 18, "load": 200 sessions × 50 calls (official SDK clients) spread by nginx over
 * three nodes on one Redis, with one node restarted (SIGTERM: graceful drain, then a new
 * process on the same port) mid-run; then 60 × 20 with the node killed (SIGKILL) instead. Every call is answered with its own reply (each call
 * reads a resource whose contents echo a unique id, so a reply delivered to the wrong call
 * or twice would show) or fails with an error; none hangs. After every session is deleted
 * Redis is back to its key count and memory before the run, and the nodes' RSS stayed flat.
 * LOAD_SESSIONS / LOAD_CALLS scale it down for a quick local run.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { connectClient, type ClusterClient } from "./client.js";
import { Deployment, missingBinaries, redisCommand, until } from "./infra.js";

const skip = missingBinaries();
const SESSIONS = Number(process.env.LOAD_SESSIONS ?? 200);
const CALLS = Number(process.env.LOAD_CALLS ?? 50);

function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) * 1024;
}

async function redisFigures(url: string): Promise<{ keys: number; memory: number }> {
  const r = await redisCommand(url);
  try {
    const keys = Number(await r.send(["DBSIZE"]));
    const info = String(await r.send(["INFO", "memory"]));
    return { keys, memory: Number(/used_memory:(\d+)/.exec(info)![1]) };
  } finally {
    await r.close();
  }
}

function loadRun(SESSIONS: number, CALLS: number, signal: "SIGTERM" | "SIGKILL") {
  describe(`scale-out: ${SESSIONS} sessions × ${CALLS} calls over three nodes, one restarted (${signal})`, { skip, timeout: 900_000 }, () => {
    let d: Deployment;
    const clients: ClusterClient[] = [];
    before(async () => {
      d = await Deployment.start(3);
    });
    after(async () => {
      await Promise.allSettled(clients.map((c) => c.client.close()));
      await d?.stop();
    });

    test("no reply lost or duplicated; Redis back to baseline; RSS flat", async () => {
      // Baseline: nodes up, their start-up done (the conformance example's dynamic items appear at 2 s).
      await until(() => d.nodes.every((n) => n.output.includes("listening")), "nodes");
      const baseline = await redisFigures(d.redis!.url);

      const duplicates: string[] = [];
      for (let i = 0; i < SESSIONS; i++) {
        const c = await connectClient(d.nginx!.url, `load-${i}`);
        // The SDK reports a response for an id it does not await (a duplicate) through onerror.
        const prior = c.transport.onerror;
        c.transport.onerror = (e) => {
          if (/unknown message ID|unknown request/i.test(e.message)) duplicates.push(e.message);
          prior?.(e);
        };
        c.client.onerror = (e) => {
          if (/unknown message ID|unknown request/i.test(e.message)) duplicates.push(e.message);
        };
        clients.push(c);
      }

      let answered = 0;
      let failed = 0;
      let wrong = 0;
      const errors = new Map<string, number>();
      const total = SESSIONS * CALLS;
      let restartDone: Promise<void> | undefined;
      let rssWarm: number[] = [];
      const run = async (c: ClusterClient, s: number) => {
        for (let k = 0; k < CALLS; k++) {
          // Delimited, so no id is a prefix of another (s1c1x, s1c10x).
          const id = `s${s}c${k}x`;
          try {
            const r = await c.client.readResource({ uri: `test://template/${id}/data` });
            if (JSON.stringify(r.contents).includes(id)) answered++;
            else wrong++;
          } catch (error) {
            failed++;
            const key = String((error as Error).message).slice(0, 80);
            errors.set(key, (errors.get(key) ?? 0) + 1);
          }
          const done = answered + failed + wrong;
          if (!restartDone && done >= total / 3) {
            rssWarm = d.nodes.map((n) => rssOf(n.pid));
            restartDone = (async () => {
              await d.nodes[1]!.stop(signal);
              await d.restart(1);
            })();
          }
        }
      };
      const started = Date.now();
      await Promise.all(clients.map((c, s) => run(c, s)));
      await restartDone;
      const seconds = (Date.now() - started) / 1000;
      console.log(`# load (${signal}): ${answered} answered, ${failed} failed with an error, ${wrong} wrong, ${duplicates.length} duplicates, ${total} calls in ${seconds.toFixed(1)} s (${(total / seconds).toFixed(0)}/s); errors: ${JSON.stringify([...errors])}`);
      assert.equal(answered + failed + wrong, total, "every call settled");
      assert.equal(wrong, 0, "no call got another call's reply");
      assert.deepEqual(duplicates, [], "no reply arrived twice");
      // Drained (SIGTERM), a node finishes what it runs; killed, each session loses at most the call it had there.
      assert.ok(failed <= (signal === "SIGTERM" ? total * 0.05 : SESSIONS), `${failed} calls failed during the restart`);
      for (const message of errors.keys()) assert.doesNotMatch(message, /timed out/i, "a call failed with an error, never by waiting out its timeout");

      const rssEnd = [0, 2].map((i) => rssOf(d.nodes[i]!.pid));
      const warm = [rssWarm[0]!, rssWarm[2]!];
      console.log(`# load: node RSS at one third ${warm.map((b) => (b / 2 ** 20).toFixed(0))} MiB, at the end ${rssEnd.map((b) => (b / 2 ** 20).toFixed(0))} MiB`);
      for (let i = 0; i < 2; i++) assert.ok(rssEnd[i]! < warm[i]! * 1.5 + 32 * 2 ** 20, `node RSS flat: ${warm[i]} → ${rssEnd[i]}`);

      // End every session (DELETE), as clients that finish do.
      await Promise.all(clients.map((c) => c.transport.terminateSession().catch(() => undefined)));
      await Promise.allSettled(clients.map((c) => c.client.close()));
      let after = await redisFigures(d.redis!.url);
      await until(async () => {
        after = await redisFigures(d.redis!.url);
        return after.keys <= baseline.keys;
      }, `Redis keys back to ${baseline.keys}`, 60_000, 200);
      console.log(`# load: Redis ${baseline.keys} keys / ${baseline.memory} B before, ${after.keys} keys / ${after.memory} B after`);
      assert.ok(after.memory < baseline.memory + 2 * 2 ** 20, `Redis memory back near baseline: ${baseline.memory} → ${after.memory}`);
    });
  });
}

loadRun(SESSIONS, CALLS, "SIGTERM");
// Killed outright: calls in flight there fail with an error (502 from nginx, or -32603 on the resumed stream).
loadRun(Math.min(SESSIONS, 60), Math.min(CALLS, 20), "SIGKILL");
