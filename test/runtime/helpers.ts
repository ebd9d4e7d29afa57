/**
 * Test helpers for the runtime: fixture paths, an event-driven inbox, a raw
 * line-based JSON-RPC driver over a child's stdio, and the official SDK client
 * pinned to a protocol revision. Nothing here sleeps for a fixed time: every wait
 * is for a message, an exit, or a predicate over what has arrived.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Client, type ClientOptions } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport, type StdioServerParameters } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";

export const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
export const fixturePath = (name: string) => fileURLToPath(new URL(`../fixtures/runtime/${name}`, import.meta.url));

/** The session-era revisions, oldest first. */
export const REVISIONS = ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"] as const;
export type Revision = (typeof REVISIONS)[number];

/** How a fixture server is started: `node --import tsx <fixture>`. */
export function fixtureCommand(name: string, args: string[] = []): { command: string; args: string[] } {
  return { command: process.execPath, args: ["--import", "tsx", fixturePath(name), ...args] };
}

/**
 * Items that arrive over time. `waitFor` resolves with the first item (from `from`
 * on) that matches, as soon as it arrives; `fail` rejects every present and future
 * wait (the process behind the inbox exited).
 */
export class Inbox<T> {
  readonly items: T[] = [];
  private readonly waiters = new Set<() => boolean>();
  private failure?: Error;

  push(item: T): void {
    this.items.push(item);
    for (const w of [...this.waiters]) w();
  }

  fail(error: Error): void {
    this.failure ??= error;
    for (const w of [...this.waiters]) w();
  }

  /** Resolves with the first matching item at index `from` or later. */
  waitFor(pred: (item: T) => boolean, what = "an item", from = 0): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const check = (): boolean => {
        for (let i = from; i < this.items.length; i++) {
          if (pred(this.items[i]!)) {
            this.waiters.delete(check);
            resolve(this.items[i]!);
            return true;
          }
        }
        if (this.failure) {
          this.waiters.delete(check);
          reject(new Error(`gave up waiting for ${what}: ${this.failure.message}`));
          return true;
        }
        return false;
      };
      if (!check()) this.waiters.add(check);
    });
  }

  /** Every item matching `pred` so far. */
  filter(pred: (item: T) => boolean): T[] {
    return this.items.filter(pred);
  }
}

/** A JSON-RPC message as seen on the wire (loosely typed on purpose). */
export interface Wire {
  jsonrpc?: unknown;
  id?: any;
  method?: string;
  params?: any;
  result?: any;
  error?: { code: number; message: string; data?: any };
}

export const isResponse = (m: Wire) => m.method === undefined && ("result" in m || "error" in m);

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * A raw driver: spawns a fixture and talks newline-delimited JSON over its stdio,
 * with no client library in between, so tests see and send exactly the bytes they mean.
 */
export class RawServer {
  readonly child: ChildProcess;
  readonly inbox = new Inbox<Wire>();
  /** stdout lines that were not JSON (a clean server has none). */
  readonly nonJson: string[] = [];
  stderr = "";
  private readonly stderrChunks = new Inbox<string>();
  readonly exited: Promise<ExitInfo>;
  exitInfo?: ExitInfo;
  /** Ids the driver picks itself, far from the small literals tests use. */
  private nextId = 1_000_000;
  private pendingChunks: Buffer[] = [];

  constructor(fixture: string, options: { env?: Record<string, string>; args?: string[] } = {}) {
    const { command, args } = fixtureCommand(fixture, options.args);
    this.child = spawn(command, args, {
      cwd: repoRoot,
      env: { ...process.env, ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    this.child.stdin!.on("error", () => {});
    this.child.stdout!.on("data", (chunk: Buffer) => this.onData(chunk));
    this.child.stderr!.setEncoding("utf8");
    this.child.stderr!.on("data", (s: string) => {
      this.stderr += s;
      this.stderrChunks.push(s);
    });
    this.exited = new Promise((resolve) => {
      this.child.once("close", (code, signal) => {
        this.exitInfo = { code, signal };
        const error = new Error(`the server exited (code ${code}, signal ${signal}); stderr:\n${this.stderr}`);
        this.inbox.fail(error);
        this.stderrChunks.fail(error);
        resolve(this.exitInfo);
      });
    });
  }

  private onData(chunk: Buffer): void {
    let start = 0;
    let nl = chunk.indexOf(0x0a);
    while (nl !== -1) {
      this.pendingChunks.push(chunk.subarray(start, nl));
      const line = Buffer.concat(this.pendingChunks).toString("utf8");
      this.pendingChunks = [];
      this.onLine(line);
      start = nl + 1;
      nl = chunk.indexOf(0x0a, start);
    }
    if (start < chunk.length) this.pendingChunks.push(chunk.subarray(start));
  }

  private onLine(line: string): void {
    if (line.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      this.nonJson.push(line);
      return;
    }
    // A batch reply is kept as one item (an array) so tests can inspect it whole.
    this.inbox.push(value as Wire);
  }

  /** Resolves once the server's stderr (so far, in total) matches `pattern`. */
  async waitForStderr(pattern: RegExp): Promise<void> {
    if (pattern.test(this.stderr)) return;
    await this.stderrChunks.waitFor(() => pattern.test(this.stderr), `stderr matching ${pattern}`);
  }

  /** Writes one line: an object is serialized, a string is sent verbatim. */
  send(message: unknown): void {
    const line = typeof message === "string" ? message : JSON.stringify(message);
    this.child.stdin!.write(line.endsWith("\n") ? line : line + "\n");
  }

  /** The reply (result or error) carrying `id`. */
  response(id: unknown, from = 0): Promise<Wire> {
    return this.inbox.waitFor((m) => !Array.isArray(m) && isResponse(m) && m.id === id, `the reply to id ${JSON.stringify(id)}`, from);
  }

  /** The next notification or request with this method. */
  message(method: string, pred: (m: Wire) => boolean = () => true, from = 0): Promise<Wire> {
    return this.inbox.waitFor((m) => !Array.isArray(m) && m.method === method && pred(m), method, from);
  }

  freshId(): number {
    return this.nextId++;
  }

  /** Sends a request and waits for its reply. */
  request(method: string, params?: Record<string, unknown>, id: string | number = this.freshId()): Promise<Wire> {
    const from = this.inbox.items.length;
    this.send(params === undefined ? { jsonrpc: "2.0", id, method } : { jsonrpc: "2.0", id, method, params });
    return this.response(id, from);
  }

  /** Sends a request and returns its result, failing on an error reply. */
  async call(method: string, params?: Record<string, unknown>): Promise<any> {
    const reply = await this.request(method, params);
    if (reply.error) throw new Error(`${method} failed: ${JSON.stringify(reply.error)}`);
    return reply.result;
  }

  notify(method: string, params?: Record<string, unknown>): void {
    this.send(params === undefined ? { jsonrpc: "2.0", method } : { jsonrpc: "2.0", method, params });
  }

  async initialize(protocolVersion: string, capabilities: Record<string, unknown> = {}): Promise<any> {
    const result = await this.call("initialize", {
      protocolVersion,
      capabilities,
      clientInfo: { name: "raw-driver", version: "0.0.1" },
    });
    this.notify("notifications/initialized");
    return result;
  }

  /** Closes the server's stdin (EOF) and waits for it to exit. */
  async close(): Promise<ExitInfo> {
    if (!this.exitInfo) this.child.stdin!.end();
    return this.exited;
  }
}

/**
 * The SDK's stdio client transport, with the `initialize` request rewritten to ask
 * for `protocolVersion` (the SDK client always asks for its latest revision).
 */
export class PinnedStdioClientTransport extends StdioClientTransport {
  constructor(
    params: StdioServerParameters,
    private readonly protocolVersion?: string,
  ) {
    super(params);
  }

  override send(message: JSONRPCMessage): Promise<void> {
    if (this.protocolVersion && "method" in message && message.method === "initialize" && "id" in message) {
      message = { ...message, params: { ...message.params, protocolVersion: this.protocolVersion } };
    }
    return super.send(message);
  }
}

export interface SdkConnection {
  client: Client;
  transport: PinnedStdioClientTransport;
  /** Every server notification the client received, in order. */
  notifications: Inbox<{ method: string; params?: any }>;
  stderr: () => string;
  close(): Promise<void>;
}

/**
 * Starts a fixture and connects the official SDK client to it, pinned to `version`.
 * `setup` runs before connecting (register request handlers there).
 */
export async function connectSdk(
  fixture: string,
  options: {
    version?: string;
    env?: Record<string, string>;
    args?: string[];
    client?: ClientOptions;
    setup?: (client: Client) => void;
  } = {},
): Promise<SdkConnection> {
  const { command, args } = fixtureCommand(fixture, options.args);
  const transport = new PinnedStdioClientTransport(
    { command, args, cwd: repoRoot, env: { ...(process.env as Record<string, string>), ...options.env }, stderr: "pipe" },
    options.version,
  );
  let stderr = "";
  transport.stderr?.on("data", (chunk: Buffer | string) => (stderr += chunk.toString()));
  const client = new Client({ name: "sdk-test-client", version: "1.0.0" }, options.client);
  const notifications = new Inbox<{ method: string; params?: any }>();
  client.fallbackNotificationHandler = async (n) => notifications.push(n as { method: string; params?: any });
  options.setup?.(client);
  client.onclose = () => notifications.fail(new Error(`the connection closed; stderr:\n${stderr}`));
  await client.connect(transport);
  return { client, transport, notifications, stderr: () => stderr, close: () => client.close() };
}

/** Text of the first text block of a tool/prompt result. */
export function firstText(result: any): string {
  const content = (result?.content ?? []) as { type: string; text?: string }[];
  const block = content.find((c) => c.type === "text");
  if (!block) throw new Error(`no text block in ${JSON.stringify(result)}`);
  return block.text!;
}

/** Parses the JSON text of the first text block. */
export const jsonText = (result: any): any => JSON.parse(firstText(result));
