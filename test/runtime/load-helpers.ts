/**
 * Helpers of the hostile-load tests and the bench's flood scenario: the flood fixture
 * over HTTP as a child process, a raw Streamable HTTP session (fetch, no client library:
 * the tests control exactly how fast each side reads), and the child's memory from
 * /proc (RSS now and its peak), measured from outside so the figures are the process's own.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { fixtureCommand, repoRoot } from "./helpers.js";

export const V = "2025-11-25";

export interface HttpChild {
  url: string;
  child: ChildProcess;
  stderr(): string;
  stop(): Promise<void>;
}

/** Starts `test/fixtures/runtime/<fixture>` with `--http 0` and waits for its URL. */
export async function startHttpChild(fixture: string, env: Record<string, string> = {}, nodeArgs: string[] = [], serverArgs: string[] = []): Promise<HttpChild> {
  const { command, args } = fixtureCommand(fixture, ["--http", "0", ...serverArgs]);
  const child = spawn(command, [...nodeArgs, ...args], { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.setEncoding("utf8");
  const closed = new Promise<void>((resolve) => child.once("close", () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr!.on("data", (s: string) => {
      stderr += s;
      const m = /listening on (\S+)/.exec(stderr);
      if (m) resolve(m[1]!);
    });
    child.once("close", (code) => reject(new Error(`the server exited (code ${code}) before listening:\n${stderr}`)));
  });
  return {
    url,
    child,
    stderr: () => stderr,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await closed;
    },
  };
}

/** RSS and its peak (VmHWM) of a process, in bytes (Linux /proc). */
export function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)![1]) * 1024;
  return { rss: kb("VmRSS"), peak: kb("VmHWM") };
}

/** Resets VmHWM to the current RSS (Linux: writing 5 to clear_refs), so the peak covers only what follows. */
export function resetPeak(pid: number): void {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
  } catch {
    // Not permitted here: the peak then covers the process's whole life, an upper bound.
  }
}

/** A Streamable HTTP session driven with fetch. */
export class RawHttpSession {
  sessionId = "";
  constructor(readonly url: string) {}

  headers(): Record<string, string> {
    const h: Record<string, string> = { accept: "application/json, text/event-stream", "content-type": "application/json", "mcp-protocol-version": V };
    if (this.sessionId) h["mcp-session-id"] = this.sessionId;
    return h;
  }

  post(body: unknown, signal?: AbortSignal): Promise<Response> {
    return fetch(this.url, { method: "POST", headers: this.headers(), body: JSON.stringify(body), signal });
  }

  async open(): Promise<this> {
    const r = await this.post({ jsonrpc: "2.0", id: 0, method: "initialize", params: { protocolVersion: V, capabilities: {}, clientInfo: { name: "load", version: "1" } } });
    if (r.status !== 200) throw new Error(`initialize: HTTP ${r.status}`);
    this.sessionId = r.headers.get("mcp-session-id")!;
    await r.text();
    const ack = await this.post({ jsonrpc: "2.0", method: "notifications/initialized" });
    await ack.text();
    if (ack.status !== 202) throw new Error(`initialized: HTTP ${ack.status}`);
    return this;
  }

  /** A request's reply, parsed from the JSON body or the SSE stream's last message. */
  async request(id: number, method: string, params?: Record<string, unknown>): Promise<any> {
    const r = await this.post(params === undefined ? { jsonrpc: "2.0", id, method } : { jsonrpc: "2.0", id, method, params });
    const text = await r.text();
    if (r.headers.get("content-type")?.startsWith("application/json")) return JSON.parse(text);
    const data = text.split("\n").filter((l) => l.startsWith("data: ") && l.length > 6);
    for (const line of data.reverse()) {
      const m = JSON.parse(line.slice(6));
      if (m.id === id) return m;
    }
    throw new Error(`no reply to ${id} in: ${text.slice(0, 300)}`);
  }
}

/** Latencies (ms) of `count` pings in a row on `session`. */
export async function pingLatencies(session: RawHttpSession, count: number, firstId = 1_000_000): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    const reply = await session.request(firstId + i, "ping");
    out.push(performance.now() - t0);
    if (!reply.result) throw new Error(`ping failed: ${JSON.stringify(reply)}`);
  }
  return out;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** About `bytes` of JSON: a list of short distinct names (issue 16's 4 MB `long_task` argument). */
export function namesOfSize(bytes: number): string[] {
  const names: string[] = [];
  for (let size = 0, i = 0; size < bytes; i++) {
    const name = `name-${i.toString().padStart(7, "0")}`;
    names.push(name);
    size += name.length + 3;
  }
  return names;
}

/**
 * POSTs `body` to the session and reads the SSE answer in a child process (node:http,
 * bytes dropped), so the reading costs the test process nothing: its ping timings then
 * measure the server, not the test's own stream parsing.
 */
export function readInChild(session: RawHttpSession, body: unknown): { started: Promise<void>; finished: () => boolean; bytes: () => number; stop: () => Promise<void> } {
  const script = `
    const http = require("node:http");
    let body = "";
    process.stdin.setEncoding("utf8");
    process.stdin.on("data", (s) => (body += s));
    process.stdin.on("end", () => {
      const req = http.request(process.argv[1], { method: "POST", headers: JSON.parse(process.argv[2]) }, (res) => {
        let n = 0;
        res.on("data", (c) => { if (n === 0) process.stdout.write("started\\n"); n += c.length; });
        res.on("end", () => process.stdout.write("done " + n + "\\n"));
      });
      req.end(body);
    });`;
  const child = spawn(process.execPath, ["-e", script, session.url, JSON.stringify(session.headers())], { stdio: ["pipe", "pipe", "inherit"] });
  const closed = new Promise<void>((resolve) => child.once("close", () => resolve()));
  let out = "";
  let done = false;
  let bytes = 0;
  const started = new Promise<void>((resolve, reject) => {
    child.stdout!.setEncoding("utf8");
    child.stdout!.on("data", (s: string) => {
      out += s;
      if (out.includes("started")) resolve();
      const m = /done (\d+)/.exec(out);
      if (m) {
        done = true;
        bytes = Number(m[1]);
      }
    });
    child.once("close", () => reject(new Error("the reader exited before the stream started")));
  });
  started.catch(() => undefined);
  child.stdin!.end(JSON.stringify(body));
  return {
    started,
    finished: () => done,
    bytes: () => bytes,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await closed;
    },
  };
}
