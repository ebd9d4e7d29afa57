/**
 * The manifest's `auth:` through the generator: the wiring passes it to the runtime
 * (exported as `authOptions`), a custom verifier gets a typed `src/handlers/auth.ts`
 * stub that compiles and refuses every token until written, per-item scopes are wired,
 * and the jwt verifier warns when the project does not depend on `jose`. The generated
 * server is then served over real HTTP and called with tokens.
 */
import assert from "node:assert/strict";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, test } from "node:test";
// The generated server imports the built runtime (`@mcpgen/runtime`): serve it with the same one.
import { serveHttp } from "@mcpgen/runtime";
import { readFileSync } from "node:fs";
import { readManifest } from "../../generator/src/frontend.js";
import { cli, read, repoRoot, scratchProject, typecheck, write } from "../generator/helpers.js";
import { bearerHeader, initialize, openSession, post } from "./auth-helpers.js";

const CUSTOM = `version: 1
server: { name: custom-auth, version: 1.0.0 }
auth:
  verifier: custom
  authorizationServers: [https://login.example.com]
  scopes: [mcp]
  hideUnauthorized: false
tools:
  open: {}
  secret:
    scopes: [admin]
`;

describe("auth: generated wiring", () => {
  test("a custom verifier: a typed stub that compiles and refuses every token until written", { timeout: 60_000 }, async (t) => {
    const dir = scratchProject(t, CUSTOM);
    const gen = await cli(dir);
    assert.equal(gen.code, 0, gen.stderr);
    assert.ok(existsSync(join(dir, "src/handlers/auth.ts")));
    const stub = read(dir, "src/handlers/auth.ts");
    assert.match(stub, /import type \{ VerifyToken \} from "\.\.\/generated\/contract\.js";/);
    assert.match(stub, /export const verifyToken: VerifyToken = async \(token, request, context\) =>/);
    assert.match(stub, /return undefined;/);
    const wiring = read(dir, "src/generated/server.ts");
    assert.match(wiring, /export const authOptions: AuthOptions = \{/);
    assert.match(wiring, /verifyToken: auth_auth\.verifyToken,/);
    assert.match(wiring, /auth: authOptions,/);
    assert.match(wiring, /scopes: \["admin"\],/);
    assert.match(read(dir, "src/generated/index.ts"), /authOptions/);
    assert.match(read(dir, "src/generated/contract.ts"), /export type VerifyToken = VerifyTokenFn;/);
    const tc = await typecheck(dir);
    assert.ok(tc.ok, tc.output);

    // As generated: every token is refused.
    const mod = await import(pathToFileURL(join(dir, "src/generated/server.ts")).href);
    const running = await serveHttp(mod.createServer(), { port: 0 });
    try {
      const r = await post(running.url, initialize(), bearerHeader("anything"));
      assert.equal(r.status, 401);
      assert.equal(r.challenge!.error, "invalid_token");
      assert.match(r.challenge!.resource_metadata!, /\/\.well-known\/oauth-protected-resource\/mcp$/);
    } finally {
      await running.close();
    }

  });

  test("a custom verifier, written: its identity is ctx.auth, its scopes are checked", { timeout: 60_000 }, async (t) => {
    // A fresh project: modules already imported stay cached for the test process.
    const dir = scratchProject(t, CUSTOM);
    assert.equal((await cli(dir)).code, 0);
    write(
      dir,
      "src/handlers/auth.ts",
      `import type { VerifyToken } from "../generated/contract.js";

const users: Record<string, string[]> = { "token-ann": ["mcp"], "token-root": ["mcp", "admin"] };

export const verifyToken: VerifyToken = async (token) => (users[token] ? { subject: token.slice(6), scopes: users[token]! } : undefined);
`,
    );
    write(dir, "src/handlers/tools/secret.ts", `import type { SecretHandler } from "../../generated/contract.js";\nexport const handler: SecretHandler = async (_input, ctx) => \`for \${ctx.auth?.subject}\`;\n`);
    assert.ok((await typecheck(dir)).ok);
    const mod = await import(pathToFileURL(join(dir, "src/generated/server.ts")).href);
    const running = await serveHttp(mod.createServer(), { port: 0 });
    try {
      const ann = await openSession(running.url, "token-ann");
      const list = await post(running.url, { jsonrpc: "2.0", id: 2, method: "tools/list" }, ann);
      // hideUnauthorized: false in mcp.yaml: listed, but refused.
      assert.deepEqual(list.body.result.tools.map((x: { name: string }) => x.name), ["open", "secret"]);
      const call = { jsonrpc: "2.0", id: 3, method: "tools/call", params: { name: "secret", arguments: {} } };
      const denied = await post(running.url, call, ann);
      assert.equal(denied.status, 403);
      assert.equal(denied.challenge!.scope, "mcp admin");
      const root = await openSession(running.url, "token-root");
      const ok = await post(running.url, call, root);
      assert.equal(ok.body.result.content[0].text, "for root");
    } finally {
      await running.close();
    }
  });

  test("API keys from the environment; no stub; the generated server's auth applies to any handler made for it", async (t) => {
    const dir = scratchProject(t, `version: 1
server: { name: keyed, version: 1.0.0 }
auth:
  verifier: apiKey
  apiKey: { env: MCPGEN_TEST_GENERATED_KEYS, header: x-token }
tools:
  ping: {}
`);
    assert.equal((await cli(dir)).code, 0);
    assert.ok(!existsSync(join(dir, "src/handlers/auth.ts")));
    assert.match(read(dir, "src/generated/server.ts"), /apiKey: \{ env: "MCPGEN_TEST_GENERATED_KEYS", header: "x-token" \}/);
    process.env.MCPGEN_TEST_GENERATED_KEYS = "k-123";
    t.after(() => delete process.env.MCPGEN_TEST_GENERATED_KEYS);
    write(dir, "src/handlers/tools/ping.ts", `import type { PingHandler } from "../../generated/contract.js";\nexport const handler: PingHandler = async () => "pong";\n`);
    const { createServer } = await import(pathToFileURL(join(dir, "src/generated/server.ts")).href);
    const running = await serveHttp(createServer(), { port: 0 });
    try {
      assert.equal((await post(running.url, initialize())).status, 401);
      assert.equal((await post(running.url, initialize(), { "x-token": "k-12" })).status, 401);
      assert.equal((await post(running.url, initialize(), { "x-token": "k-123" })).status, 200);
    } finally {
      await running.close();
    }
  });

  test("the jwt verifier in a project without jose: a warning naming npm install jose", async (t) => {
    const manifest = `version: 1
server: { name: j, version: 1.0.0 }
auth:
  authorizationServers: [https://auth.example.com]
tools:
  a: {}
`;
    const dir = scratchProject(t, manifest);
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "j", private: true, type: "module", dependencies: { "@mcpgen/runtime": "^0.1.0" } }));
    const r = await cli(dir, "--no-color");
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /warning\[auth-needs-jose\]/);
    assert.match(r.stderr, /npm install jose/);
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "j", private: true, type: "module", dependencies: { "@mcpgen/runtime": "^0.1.0", jose: "^6.1.0" } }));
    const again = await cli(dir, "--no-color");
    assert.doesNotMatch(again.stderr, /auth-needs-jose/);
  });

  test("every auth: block in docs/auth.md is a valid manifest section", () => {
    const doc = readFileSync(join(repoRoot, "docs", "auth.md"), "utf8");
    const blocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
    assert.ok(blocks.length >= 8, `found ${blocks.length} yaml blocks`);
    for (const block of blocks) {
      const { diagnostics } = readManifest("mcp.yaml", `version: 1\nserver: { name: doc, version: 1.0.0 }\n${block}`);
      assert.deepEqual(diagnostics.map((d) => `${d.code}: ${d.message}`), [], block);
    }
  });
});
