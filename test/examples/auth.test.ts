/**
 * examples/auth: the OAuth-protected notes server started as a real process
 * (`node --import tsx src/server.ts --http 0`) against the example's own development
 * authorization server (examples/auth/src/dev-as.ts, in this process), driven over a
 * real socket by the official SDK client with real signed tokens, and by raw fetch for
 * the refusals. On stdio, where auth does not apply, it serves without a token.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { after, before, describe, test } from "node:test";
import { bearerHeader, initialize, openSession, post, sdkClient, startDevAuthServer, type DevAuthServer } from "../runtime/auth-helpers.js";
import { Inbox } from "../runtime/helpers.js";
import { connectExample, exampleDir, mcpgenCheck } from "./helpers.js";

const PRM = "/.well-known/oauth-protected-resource";
const structured = (r: unknown) => (r as { structuredContent: any }).structuredContent;

describe("examples/auth", { timeout: 60_000 }, () => {
  let as: DevAuthServer;
  let child: ChildProcess;
  let url: string;
  let origin: string;
  const token = (client: string, scope: string) => as.clientCredentials({ client: { id: client, secret: `${client}-secret` }, scope, resource: url });

  before(async () => {
    as = await startDevAuthServer({ clients: ["alice", "bob", "ops"].map((id) => ({ id, secret: `${id}-secret` })) });
    child = spawn(process.execPath, ["--import", "tsx", "src/server.ts", "--http", "0"], {
      cwd: exampleDir("auth"),
      env: { ...process.env, AUTH_ISSUER: as.issuer },
      stdio: ["ignore", "ignore", "pipe"],
    });
    const lines = new Inbox<string>();
    child.stderr!.setEncoding("utf8").on("data", (s: string) => s.split("\n").forEach((l) => l && lines.push(l)));
    child.once("exit", (code) => lines.fail(new Error(`the example exited (${code}):\n${lines.items.join("\n")}`)));
    const line = await lines.waitFor((l) => / listening on /.test(l), "the listening line");
    url = /listening on (\S+)/.exec(line)![1]!;
    origin = new URL(url).origin;
  });
  after(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
    await as?.close();
  });

  test("generated code is up to date (mcpgen check)", async () => {
    const r = await mcpgenCheck("auth");
    assert.equal(r.code, 0, r.stdout + r.stderr);
  });

  test("publishes its protected resource metadata at both well-known URLs", async () => {
    for (const path of [`${PRM}/mcp`, PRM]) {
      const doc = await (await fetch(origin + path)).json();
      assert.deepEqual(doc, {
        resource: url,
        authorization_servers: [as.issuer],
        scopes_supported: ["notes:read", "notes:write", "notes:admin"],
        bearer_methods_supported: ["header"],
        resource_name: "Notes (OAuth-protected)",
      });
    }
  });

  test("without a token: 401 pointing at the metadata; with one for another server: 401 invalid_token", async () => {
    const r = await post(url, initialize());
    assert.equal(r.status, 401);
    assert.deepEqual(r.challenge, { scope: "notes:read", resource_metadata: `${origin}${PRM}/mcp` });
    const foreign = await post(url, initialize(), bearerHeader(await as.clientCredentials({ client: { id: "alice", secret: "alice-secret" }, scope: "notes:read", resource: "https://elsewhere.example/mcp" })));
    assert.equal(foreign.status, 401);
    assert.equal(foreign.challenge!.error, "invalid_token");
  });

  test("a token without notes:read, which every request needs: 403", async () => {
    const r = await post(url, initialize(), bearerHeader(await token("alice", "notes:write")));
    assert.equal(r.status, 403);
    assert.equal(r.challenge!.error, "insufficient_scope");
    assert.equal(r.challenge!.scope, "notes:read");
  });

  test("a reader sees only what it may use; whoami reports the token", async () => {
    const client = await sdkClient(url, await token("alice", "notes:read"));
    try {
      assert.deepEqual((await client.listTools()).tools.map((t) => t.name), ["list_notes", "whoami"]);
      assert.deepEqual((await client.listPrompts()).prompts.map((p) => p.name), ["summarize_notes"]);
      const me = structured(await client.callTool({ name: "whoami", arguments: {} }));
      assert.equal(me.subject, "alice");
      assert.equal(me.clientId, "alice");
      assert.deepEqual(me.scopes, ["notes:read"]);
      assert.ok(me.expiresAt > Date.now() / 1000);
      await assert.rejects(client.callTool({ name: "add_note", arguments: { text: "hi" } }), /notes:write/);
    } finally {
      await client.close();
    }
  });

  test("step-up: add_note answers 403 naming notes:write; with it, notes are kept per user", async () => {
    const headers = await openSession(url, await token("alice", "notes:read"));
    const add = { jsonrpc: "2.0", id: 5, method: "tools/call", params: { name: "add_note", arguments: { text: "buy milk" } } };
    const denied = await post(url, add, headers);
    assert.equal(denied.status, 403);
    assert.deepEqual([denied.challenge!.error, denied.challenge!.scope], ["insufficient_scope", "notes:read notes:write"]);

    const writer = await sdkClient(url, await token("alice", denied.challenge!.scope!));
    const bob = await sdkClient(url, await token("bob", "notes:read notes:write"));
    try {
      assert.deepEqual((await writer.listTools()).tools.map((t) => t.name), ["add_note", "list_notes", "whoami"]);
      assert.deepEqual((await writer.listPrompts()).prompts.map((p) => p.name), ["review_changes", "summarize_notes"]);
      const r = await writer.callTool({ name: "add_note", arguments: { text: "buy milk" } });
      assert.match((r.content as { text: string }[])[0]!.text, /You have 1 note\./);
      await bob.callTool({ name: "add_note", arguments: { text: "bob's note" } });
      assert.deepEqual(structured(await writer.callTool({ name: "list_notes", arguments: {} })).notes, ["buy milk"]);
      assert.deepEqual(structured(await bob.callTool({ name: "list_notes", arguments: {} })).notes, ["bob's note"]);
      const mine = await writer.readResource({ uri: "notes://mine" });
      assert.equal((mine.contents[0] as { text: string }).text, "buy milk");
    } finally {
      await Promise.all([writer.close(), bob.close()]);
    }
  });

  test("wipe_notes needs notes:admin", async () => {
    const reader = await openSession(url, await token("ops", "notes:read notes:write"));
    const wipe = { jsonrpc: "2.0", id: 7, method: "tools/call", params: { name: "wipe_notes", arguments: {} } };
    const denied = await post(url, wipe, reader);
    assert.equal(denied.status, 403);
    assert.equal(denied.challenge!.scope, "notes:read notes:admin");
    const admin = await sdkClient(url, await token("ops", "notes:read notes:admin"));
    try {
      const r = await admin.callTool({ name: "wipe_notes", arguments: {} });
      assert.match((r.content as { text: string }[])[0]!.text, /^Deleted \d+ notes?\.$/);
    } finally {
      await admin.close();
    }
  });

  test("an expired token: 401 invalid_token", async () => {
    const r = await post(url, initialize(), bearerHeader(await as.issue({ issuer: as.issuer, audience: url, scope: "notes:read", expiresIn: -120 })));
    assert.equal(r.status, 401);
    assert.equal(r.challenge!.error, "invalid_token");
    assert.match(r.challenge!.error_description!, /expired/);
  });

  test("on stdio auth does not apply: everything is listed and callable without a token", async () => {
    const stdio = await connectExample("auth");
    try {
      assert.deepEqual((await stdio.client.listTools()).tools.map((t) => t.name), ["add_note", "list_notes", "whoami", "wipe_notes"]);
      assert.deepEqual(structured(await stdio.client.callTool({ name: "whoami", arguments: {} })), { scopes: [] });
    } finally {
      await stdio.close();
    }
  });
});
