import type { McpServer } from "../../server/server.js";
import type { ServerSession } from "../../server/session.js";
import { SessionTransport, type SessionTransportOptions } from "./session-transport.js";

/** One session answering stateless POSTs, with the transport that carries its replies. */
export interface StatelessSession {
  session: ServerSession;
  transport: SessionTransport;
  /** Something the request did outlives it (a state change): the session is not reused. */
  dirty: boolean;
}

/**
 * Sessions that answer stateless POSTs, kept for reuse. A stateless POST needs a session
 * only until its reply is sent, and building one (session, engine, transport,
 * capabilities) for every POST was a large share of a small call's cost and of its
 * garbage. A session goes back to the pool only if the request left it as it found it:
 * nothing in its state changed (log level, subscriptions) and no request of its own
 * still awaits the client. `initialize` never runs on a pooled session (it sets state).
 */
export class StatelessPool {
  private readonly idle = new Map<string, StatelessSession[]>();
  private readonly busy = new Set<StatelessSession>();

  constructor(
    private readonly server: McpServer<any>,
    private readonly transportOptions: SessionTransportOptions,
    /** Most idle sessions kept per protocol version (about the POSTs in flight at a busy moment). */
    private readonly maxIdle = 64,
  ) {}

  /** A session speaking `version` for one POST (from the pool when one is idle). */
  acquire(version: string): StatelessSession | Promise<StatelessSession> {
    const list = this.idle.get(version);
    for (let reused = list?.pop(); reused; reused = list!.pop()) {
      // Closed meanwhile (the server shut down): let it go.
      if (reused.transport.isClosed) continue;
      this.busy.add(reused);
      return reused;
    }
    return this.create(version);
  }

  /** A session that is not pooled: `initialize` sets what the next request must not see. */
  async fresh(): Promise<StatelessSession> {
    const entry = await this.create(undefined);
    entry.dirty = true;
    return entry;
  }

  private async create(version: string | undefined): Promise<StatelessSession> {
    const transport = new SessionTransport(this.transportOptions);
    const session = await this.server.connect(transport);
    session.stateless = true;
    if (version !== undefined) session.restore({ protocolVersion: version, clientCapabilities: {} });
    const entry: StatelessSession = { session, transport, dirty: false };
    session.onStateChange = () => void (entry.dirty = true);
    this.busy.add(entry);
    return entry;
  }

  /** The POST is answered: back to the pool, or closed if it cannot be reused. */
  release(entry: StatelessSession): void {
    if (!this.busy.delete(entry)) return;
    const { session, transport } = entry;
    const list = entry.dirty ? undefined : this.idle.get(session.protocolVersion) ?? [];
    if (!list || transport.isClosed || session.peer.pendingCount > 0 || session.peer.inflightCount > 0 || list.length >= this.maxIdle) {
      void session.close();
      return;
    }
    if (list.length === 0) this.idle.set(session.protocolVersion, list);
    list.push(entry);
  }

  /** Sessions answering a POST now. */
  get busyCount(): number {
    return this.busy.size;
  }

  /** Sessions waiting for the next POST. */
  get idleCount(): number {
    let n = 0;
    for (const list of this.idle.values()) n += list.length;
    return n;
  }

  /** Every session, busy or idle (shutdown drains and closes them). */
  sessions(): ServerSession[] {
    const out = [...this.busy].map((e) => e.session);
    for (const list of this.idle.values()) for (const e of list) out.push(e.session);
    return out;
  }

  /** Forgets the idle sessions (their owner closes them through `sessions()`). */
  clear(): void {
    this.idle.clear();
  }
}
