/**
 * Real components for the scale-out tests: redis-server on a free loopback port with
 * persistence off, N node processes of a generated example server sharing it (REDIS_URL),
 * and nginx round-robin (no affinity) in front of them, configured in a temp dir. Every
 * process is stopped by `stop()`; tests call it in `after` hooks, which run on failure
 * too. Every wait is for an event (a line of output, a port that answers), with a
 * generous overall deadline, never a fixed sleep.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, chmodSync, readFileSync } from "node:fs";
import { createServer, connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { repoRoot } from "../runtime/helpers.js";

export const REDIS_SERVER = "/usr/bin/redis-server";
export const NGINX = "/usr/sbin/nginx";

/** Why the tests cannot run here, or undefined. CI installs both (.ci/run). */
export function missingBinaries(): string | undefined {
  const missing = [REDIS_SERVER, NGINX].filter((b) => !existsSync(b));
  return missing.length === 0 ? undefined : `skipped: ${missing.join(" and ")} not installed (apt-get install -y redis-server nginx; .ci/run does)`;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Resolves once `check` returns true; polls every `everyMs` until `timeoutMs`. */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000, everyMs = 25): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

async function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** A child process whose output is kept, and whose exit can be awaited. */
class Proc {
  output = "";
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  done = false;
  constructor(readonly child: ChildProcess) {
    const add = (s: Buffer) => void (this.output += s.toString());
    child.stdout?.on("data", add);
    child.stderr?.on("data", add);
    this.exited = new Promise((resolve) =>
      child.once("close", (code, signal) => {
        this.done = true;
        resolve({ code, signal });
      }),
    );
  }

  async waitFor(pattern: RegExp, what: string, timeoutMs = 30_000): Promise<RegExpExecArray> {
    let m: RegExpExecArray | null = null;
    await until(() => (m = pattern.exec(this.output)) !== null || this.done, what, timeoutMs);
    if (!m) throw new Error(`${what}: the process exited first; output:\n${this.output}`);
    return m;
  }

  async stop(signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
    if (this.done) return;
    this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 15_000);
    await this.exited;
    clearTimeout(timer);
  }
}

export class RedisServer {
  private constructor(
    private readonly proc: Proc,
    readonly port: number,
  ) {}

  static async start(): Promise<RedisServer> {
    const port = await freePort();
    const child = spawn(REDIS_SERVER, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "yes"], { stdio: ["ignore", "pipe", "pipe"] });
    const redis = new RedisServer(new Proc(child), port);
    await redis.proc.waitFor(/Ready to accept connections/, "redis-server to start");
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  stop(): Promise<void> {
    return this.proc.stop("SIGTERM");
  }
}

/** One node: the generated conformance example serving HTTP on Redis. */
export class Node {
  private constructor(
    readonly proc: Proc,
    readonly port: number,
    public nodeId = "",
  ) {}

  static async start(port: number, env: Record<string, string>): Promise<Node> {
    const entry = join(repoRoot, "examples/conformance/src/server.ts");
    const child = spawn(process.execPath, ["--import", "tsx", entry, "--http", String(port)], {
      cwd: join(repoRoot, "examples/conformance"),
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const node = new Node(new Proc(child), port);
    const listening = env.REDIS_URL ? /listening on http:\/\/\S+ \(.*Redis(?: node (\w+))?\)/ : /listening on http:\/\/\S+ \((.*)\)/;
    const m = await node.proc.waitFor(listening, `node on port ${port} to listen`);
    node.nodeId = env.REDIS_URL ? (m[1] ?? "") : "";
    return node;
  }

  get pid(): number {
    return this.proc.child.pid!;
  }
  get output(): string {
    return this.proc.output;
  }
  get exited() {
    return this.proc.exited;
  }
  stop(signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
    return this.proc.stop(signal);
  }
}

export class Nginx {
  private constructor(
    private readonly proc: Proc,
    readonly port: number,
    readonly dir: string,
  ) {}

  /** Round-robin over `upstreams`, no affinity; adds `X-Upstream` (the node's address) to answers. */
  static async start(upstreams: number[]): Promise<Nginx> {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), "mcp-nginx-"));
    chmodSync(dir, 0o755);
    for (const d of ["body", "proxy", "fastcgi", "uwsgi", "scgi"]) {
      mkdirSync(join(dir, d));
      chmodSync(join(dir, d), 0o777);
    }
    const conf = `
worker_processes 1;
error_log ${dir}/error.log warn;
pid ${dir}/nginx.pid;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream mcp {
${upstreams.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=2s;`).join("\n")}
    keepalive 64;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://mcp;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_buffering off;
      proxy_cache off;
      proxy_read_timeout 1h;
      client_max_body_size 4m;
      # A draining node answers 503 before running anything: a resume (GET) goes to the next
      # node. POSTs are never retried (not idempotent); their clients see the 503.
      proxy_next_upstream error timeout http_503;
      add_header X-Upstream $upstream_addr always;
    }
  }
}
`;
    writeFileSync(join(dir, "nginx.conf"), conf);
    const child = spawn(NGINX, ["-p", dir, "-c", join(dir, "nginx.conf"), "-g", "daemon off;"], { stdio: ["ignore", "pipe", "pipe"] });
    const nginx = new Nginx(new Proc(child), port, dir);
    await until(async () => (await portAnswers(port)) || nginx.proc.done, "nginx to listen");
    if (nginx.proc.done) throw new Error(`nginx exited: ${nginx.proc.output}\n${readFileSync(join(dir, "error.log"), "utf8")}`);
    return nginx;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/mcp`;
  }

  async stop(): Promise<void> {
    await this.proc.stop("SIGQUIT");
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Redis, `n` nodes and nginx; `stop()` ends them all, whatever state they are in. */
export class Deployment {
  nodes: Node[] = [];
  nginx?: Nginx;
  redis?: RedisServer;
  ports: number[] = [];
  env: Record<string, string> = {};

  static async start(n: number, env: Record<string, string> = {}): Promise<Deployment> {
    const d = new Deployment();
    try {
      d.redis = await RedisServer.start();
      d.env = { REDIS_URL: d.redis.url, MCP_NODE_TIMEOUT_MS: "1500", ...env };
      for (let i = 0; i < n; i++) d.ports.push(await freePort());
      d.nodes = await Promise.all(d.ports.map((p) => Node.start(p, d.env)));
      d.nginx = await Nginx.start(d.ports);
    } catch (error) {
      await d.stop();
      throw error;
    }
    return d;
  }

  /** The node listening on `port` (from an `X-Upstream` header: `127.0.0.1:<port>`). */
  nodeAt(upstream: string): Node {
    const port = Number(upstream.split(",").pop()!.trim().split(":").pop());
    const node = this.nodes.find((n) => n.port === port);
    if (!node) throw new Error(`no node at ${upstream}`);
    return node;
  }

  /** Starts a node again on the port of the one at `index` (after it stopped). */
  async restart(index: number): Promise<Node> {
    const node = await Node.start(this.ports[index]!, this.env);
    this.nodes[index] = node;
    return node;
  }

  async stop(): Promise<void> {
    await Promise.allSettled([this.nginx?.stop(), ...this.nodes.map((n) => n.stop("SIGKILL"))]);
    await this.redis?.stop();
  }
}

/** A plain Redis command client for assertions (INFO, DBSIZE, KEYS). */
export async function redisCommand(url: string): Promise<{ send(args: string[]): Promise<unknown>; close(): Promise<void> }> {
  const { createClient } = await import("redis");
  const client = createClient({ url });
  client.on("error", () => undefined);
  await client.connect();
  return { send: (args) => client.sendCommand(args), close: () => client.close() };
}
