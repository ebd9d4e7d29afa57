/**
 * Issue 16, finding 8: the protected resource metadata endpoint is behind the same
 * Host/Origin guard as the MCP endpoint (a foreign Host is refused, never echoed into
 * `resource`), a configured `resource` is what it names, and a `resource` derived from
 * the request is never cacheable (so no cache hands one host's answer to another).
 * Real HTTP on 127.0.0.1; node:http, so the Host header is exactly what the test sends.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { request } from "node:http";
import { serveWithAuth } from "./auth-helpers.js";

const PRM = "/.well-known/oauth-protected-resource/mcp";
const verifyToken = () => undefined;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

/** GET with exactly these headers (Host included). */
function get(url: string, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "GET", headers }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: text ? JSON.parse(text) : undefined }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

describe("protected resource metadata: guarded, and never cached when derived", { timeout: 30_000 }, () => {
  test("a foreign Host or Origin is refused (403); a local one gets the derived resource, not cacheable", async () => {
    const s = await serveWithAuth({ verifier: "custom", verifyToken, authorizationServers: ["https://login.example.com"] });
    try {
      const url = `${s.origin}${PRM}`;
      const evilHost = await get(url, { host: "evil.example" });
      assert.equal(evilHost.status, 403);
      assert.doesNotMatch(JSON.stringify(evilHost.body), /"resource"/);
      const evilOrigin = await get(url, { host: new URL(s.origin).host, origin: "https://evil.example" });
      assert.equal(evilOrigin.status, 403);

      const ok = await get(url, { host: new URL(s.origin).host });
      assert.equal(ok.status, 200);
      assert.equal(ok.body.resource, s.url);
      assert.equal(ok.headers["cache-control"], "no-store");
      assert.match(String(ok.headers.vary), /host/);
    } finally {
      await s.close();
    }
  });

  test("an allowed host gets its own derived resource, uncached; the guard follows allowedHosts", async () => {
    const s = await serveWithAuth({ verifier: "custom", verifyToken, authorizationServers: ["https://login.example.com"] }, { allowedHosts: ["mcp.example"] });
    try {
      const r = await get(`${s.origin}${PRM}`, { host: "mcp.example" });
      assert.equal(r.status, 200);
      assert.equal(r.body.resource, "http://mcp.example/mcp");
      assert.equal(r.headers["cache-control"], "no-store");
      assert.equal((await get(`${s.origin}${PRM}`, { host: "other.example" })).status, 403);
    } finally {
      await s.close();
    }
  });

  test("a configured resource is named whatever the Host, and may be cached", async () => {
    const resource = "https://mcp.example.com/mcp";
    const s = await serveWithAuth({ verifier: "custom", verifyToken, authorizationServers: ["https://login.example.com"], resource }, { allowedHosts: ["*"] });
    try {
      for (const host of [new URL(s.origin).host, "anything.example"]) {
        const r = await get(`${s.origin}${PRM}`, { host });
        assert.equal(r.status, 200);
        assert.equal(r.body.resource, resource, host);
        assert.equal(r.headers["cache-control"], "max-age=300");
      }
    } finally {
      await s.close();
    }
  });
});
