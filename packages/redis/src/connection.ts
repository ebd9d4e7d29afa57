/**
 * The two connections a node keeps to Redis, over the official `redis` client: one for
 * commands (the client pipelines commands issued in the same tick by itself) and one in
 * subscriber mode for pub/sub. Everything else in this package talks to Redis through
 * `RedisConnection`, in raw commands, so it depends on no typed command surface.
 */
import { createClient } from "redis";
import { createHash } from "node:crypto";

type Client = ReturnType<typeof createClient>;
type Reply = unknown;

export interface RedisConnectionOptions {
  /** `redis://[:password@]host:port[/db]` (default `redis://127.0.0.1:6379`). */
  url?: string;
  /** Key and channel prefix, so several servers can share one Redis (default `mcp:`). */
  prefix?: string;
  /** Where connection errors go (the client reconnects by itself meanwhile). */
  onerror?: (error: Error) => void;
}

export class RedisConnection {
  readonly prefix: string;
  private readonly client: Client;
  private subscriber?: Client;
  private subscriberReady?: Promise<unknown>;
  private readonly shas = new Map<string, string>();
  private readonly channels = new Map<string, { listeners: Set<(message: string) => void>; dispatch: (message: string) => void; ready: Promise<unknown> }>();
  private readonly onerror: (error: Error) => void;

  private constructor(client: Client, prefix: string, onerror: (error: Error) => void) {
    this.client = client;
    this.prefix = prefix;
    this.onerror = onerror;
  }

  static async connect(options: RedisConnectionOptions = {}): Promise<RedisConnection> {
    const onerror = options.onerror ?? ((e: Error) => console.error(`[mcp redis] ${e.message}`));
    let connected = false;
    const client = createClient({
      url: options.url ?? "redis://127.0.0.1:6379",
      socket: {
        connectTimeout: 5000,
        // Unreachable at start: fail (a node must not listen without its stores). Lost later:
        // reconnect, backing off to 2 s, while requests that need Redis fail meanwhile.
        reconnectStrategy: (retries: number, cause: Error) => (connected ? Math.min(50 * 2 ** retries, 2000) : cause),
      },
    });
    client.on("error", (e: Error) => connected && onerror(e));
    await client.connect();
    connected = true;
    return new RedisConnection(client, options.prefix ?? "mcp:", onerror);
  }

  /** One command, as words: `send(["GET", key])`. */
  send(args: (string | number)[]): Promise<Reply> {
    return this.client.sendCommand(args.map(String));
  }

  /** Runs a Lua script by its SHA, loading it the first time (or after SCRIPT FLUSH). */
  async script(source: string, args: (string | number)[]): Promise<Reply> {
    let sha = this.shas.get(source);
    if (!sha) this.shas.set(source, (sha = createHash("sha1").update(source).digest("hex")));
    try {
      return await this.send(["EVALSHA", sha, 0, ...args]);
    } catch (error) {
      if (!String((error as Error).message).includes("NOSCRIPT")) throw error;
      return this.send(["EVAL", source, 0, ...args]);
    }
  }

  publish(channel: string, message: string): Promise<Reply> {
    return this.send(["PUBLISH", this.prefix + channel, message]);
  }

  /** Listens to a channel; `ready` resolves once Redis confirmed the subscription. */
  subscribe(channel: string, listener: (message: string) => void): { stop(): void; ready: Promise<unknown> } {
    const full = this.prefix + channel;
    let state = this.channels.get(full);
    if (!state) {
      const listeners = new Set<(message: string) => void>();
      const dispatch = (message: string) => {
        for (const l of [...listeners]) l(message);
      };
      const ready = this.sub().then((s) => s.subscribe(full, dispatch));
      ready.catch(this.onerror);
      this.channels.set(full, (state = { listeners, dispatch, ready }));
    }
    const current = state;
    current.listeners.add(listener);
    return {
      ready: current.ready,
      stop: () => {
        if (!current.listeners.delete(listener) || current.listeners.size > 0) return;
        // The channel stays known until Redis is told, so a listener added meanwhile reuses it.
        void current.ready
          .then(async () => {
            if (current.listeners.size > 0 || this.channels.get(full) !== current) return;
            this.channels.delete(full);
            await this.subscriber!.unsubscribe(full, current.dispatch);
          })
          .catch(this.onerror);
      },
    };
  }

  private sub(): Promise<Client> {
    if (!this.subscriber) {
      const s = this.client.duplicate();
      s.on("error", this.onerror);
      this.subscriber = s;
      this.subscriberReady = s.connect();
    }
    const s = this.subscriber;
    return this.subscriberReady!.then(() => s);
  }

  async close(): Promise<void> {
    const closing: Promise<unknown>[] = [this.client.close()];
    if (this.subscriber) closing.push(this.subscriberReady!.then(() => this.subscriber!.close()));
    await Promise.allSettled(closing);
  }
}
