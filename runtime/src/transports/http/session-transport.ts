import type { JsonRpcMessage, RequestId } from "../../protocol/jsonrpc.js";
import type { MessageExtra, SendOptions, Transport, TransportSink } from "../../protocol/transport.js";
import { sessionIdOfStream, streamIdOfEvent, type EventStore, type StoredMessage } from "./event-store.js";
import type { StreamRouting, Subscription } from "./stream-routing.js";
import { emptyReply, httpError, jsonReply, sseReply, type HttpReply, type HeaderMap } from "./responses.js";
import { SSE_HEADERS, SseWriter, primingEvent, sseEvent, sseEventOfJson, type SseWriterLimits } from "./sse.js";

export interface SessionTransportOptions {
  /** Undefined in stateless mode: no `Mcp-Session-Id`, no GET stream, no resumption. */
  sessionId?: string;
  eventStore?: EventStore;
  /** `retry:` sent with the priming event: how long a client waits before reconnecting. */
  retryMs?: number;
  keepAliveMs?: number;
  /** Unread bytes above which a stream is congested and senders wait (see SseWriterLimits). */
  maxBufferedBytes?: number;
  /** Unread bytes above which a stream that can be resumed is cut off (see SseWriterLimits). */
  maxUnreadBytes?: number;
  /**
   * Set when several nodes share this session's stores (see cluster.ts): stream ids then
   * carry the node's id, so two nodes never mint the same one, and `routing` carries
   * events and resumed streams between nodes.
   */
  nodeId?: string;
  routing?: StreamRouting;
  onerror(error: Error): void;
}

/**
 * The replies owed to one POST: its request ids, and where the replies go: an SSE
 * stream (possibly disconnected, the event store keeping what it misses) or a JSON
 * body sent once every request is answered.
 */
interface Exchange {
  pending: Set<RequestId>;
  streamId?: string;
  writer?: SseWriter;
  json?: { batch: boolean; responses: JsonRpcMessage[]; resolve(response: HttpReply): void };
  headers: HeaderMap;
}

/** Which of a POST's messages are requests, and whether it was a batch. */
export interface Classified {
  requestIds: RequestId[];
  batch: boolean;
}

/**
 * The server side of one Streamable HTTP session: the engine sends through it, and
 * it routes each message to the stream it belongs on (a POST's own stream for that
 * request's replies, the GET stream for everything else), storing events for replay.
 * Nothing here outlives the request it serves: exchanges are removed when answered.
 */
export class SessionTransport implements Transport {
  readonly sessionId: string | undefined;
  private sink?: TransportSink;
  private readonly byRequest = new Map<RequestId, Exchange>();
  private readonly byStream = new Map<string, Exchange>();
  private standalone?: SseWriter;
  private readonly standaloneStreamId: string;
  private streamCounter = 0;
  private closed = false;
  /** Async event stores append in order: each send waits for the previous one. */
  private tail: Promise<void> = Promise.resolve();
  private asyncPending = 0;
  private closeListener?: () => void;
  private drainedListener?: () => void;
  /** Other nodes' events for the GET stream open here (cluster only). */
  private standaloneWatch?: Subscription;
  private readonly streamPrefix: string;

  constructor(private readonly options: SessionTransportOptions) {
    this.sessionId = options.sessionId;
    this.standaloneStreamId = `${options.sessionId}.0`;
    this.streamPrefix = options.nodeId === undefined ? `${options.sessionId}.` : `${options.sessionId}.${options.nodeId}-`;
  }

  private get store(): EventStore | undefined {
    return this.sessionId === undefined ? undefined : this.options.eventStore;
  }

  start(sink: TransportSink): void {
    this.sink = sink;
  }

  /** A stream of this session; with an event store a client too slow to read is cut off (it resumes). */
  private newWriter(): SseWriter {
    const limits: SseWriterLimits = { maxBufferedBytes: this.options.maxBufferedBytes };
    if (this.store) limits.maxUnreadBytes = this.options.maxUnreadBytes;
    return new SseWriter(this.options.keepAliveMs, limits);
  }

  /** Called once the transport closes, whoever closed it. */
  onClosed(listener: () => void): void {
    this.closeListener = listener;
  }

  /** Called whenever the last pending request is answered (stateless sessions end then). */
  onDrained(listener: () => void): void {
    this.drainedListener = listener;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Open GET streams and POSTs awaiting replies: a session with any is not idle. */
  get busy(): boolean {
    return this.byRequest.size > 0 || this.standalone?.isOpen === true;
  }

  /** Requests in flight (tests and metrics). */
  get pendingCount(): number {
    return this.byRequest.size;
  }

  /**
   * Hands a POST's messages to the engine and answers the POST: 202 when it carries
   * no request, else a JSON body or an SSE stream with the replies.
   */
  post(body: unknown, classified: Classified, extra: MessageExtra, mode: { json: boolean; protocolVersion: string }, headers: HeaderMap): HttpReply | Promise<HttpReply> {
    if (classified.requestIds.length === 0) {
      this.sink?.message(body, extra);
      this.settleCancelled(body);
      return emptyReply(202, headers);
    }
    for (const id of classified.requestIds) {
      if (this.byRequest.has(id)) {
        return httpError(409, -32600, `Invalid Request: request id ${JSON.stringify(id)} is already in flight in this session`, headers);
      }
    }
    const exchange: Exchange = { pending: new Set(classified.requestIds), headers };
    for (const id of classified.requestIds) this.byRequest.set(id, exchange);
    if (mode.json) {
      const response = new Promise<HttpReply>((resolve) => {
        exchange.json = { batch: classified.batch, responses: [], resolve };
      });
      this.sink?.message(body, extra);
      return response;
    }
    const writer = this.newWriter();
    exchange.writer = writer;
    // A client that goes away mid-call has not cancelled it: replies go to the store.
    writer.onCancel(() => {
      if (exchange.writer === writer) exchange.writer = undefined;
    });
    const store = this.store;
    const start = (): HttpReply => {
      this.sink?.message(body, extra);
      return sseReply(writer, { ...SSE_HEADERS, ...headers });
    };
    if (!store) return start();
    const streamId = `${this.streamPrefix}${++this.streamCounter}`;
    exchange.streamId = streamId;
    this.byStream.set(streamId, exchange);
    this.options.routing?.opened(streamId, classified.requestIds);
    if (!supportsPriming(mode.protocolVersion)) return start();
    return then(store.append(streamId, null), (eventId) => {
      writer.write(primingEvent(eventId, this.options.retryMs));
      return start();
    });
  }

  /** A GET without `Last-Event-ID`: the session's one standalone stream. */
  openStandalone(protocolVersion: string, headers: HeaderMap): HttpReply | Promise<HttpReply> {
    if (this.standalone?.isOpen) {
      return httpError(409, -32000, "Conflict: this session already has a GET stream open", headers);
    }
    const writer = this.attachStandalone();
    const respond = () => sseReply(writer, { ...SSE_HEADERS, ...headers });
    const store = this.store;
    if (!store || !supportsPriming(protocolVersion)) return respond();
    return then(store.append(this.standaloneStreamId, null), (eventId) => {
      writer.write(primingEvent(eventId, this.options.retryMs));
      return respond();
    });
  }

  private attachStandalone(skip?: ReadonlySet<string>): SseWriter {
    this.standalone?.close();
    this.standaloneWatch?.stop();
    const writer = this.newWriter();
    this.standalone = writer;
    this.standaloneWatch = this.options.routing?.watch(this.standaloneStreamId, writer, skip);
    writer.onCancel(() => {
      if (this.standalone !== writer) return;
      this.standalone = undefined;
      this.standaloneWatch?.stop();
      this.standaloneWatch = undefined;
    });
    return writer;
  }

  /** Ends the GET stream (another node holds the session's GET stream now). */
  closeStandalone(): void {
    const writer = this.standalone;
    if (!writer) return;
    this.standalone = undefined;
    this.standaloneWatch?.stop();
    this.standaloneWatch = undefined;
    writer.close();
  }

  /**
   * A GET with `Last-Event-ID`: replays what that stream missed, then carries on with
   * it live; a stream whose replies were all sent ends after the replay.
   */
  async resume(lastEventId: string, headers: HeaderMap): Promise<HttpReply> {
    const store = this.store;
    const streamId = streamIdOfEvent(lastEventId);
    if (!store || sessionIdOfStream(streamId) !== this.sessionId) {
      return httpError(400, -32000, "Bad Request: Last-Event-ID does not name an event of this session", headers);
    }
    let writer: SseWriter;
    let exchange: Exchange | undefined;
    const replayed = new Set<string>();
    if (streamId === this.standaloneStreamId) {
      writer = this.attachStandalone(replayed);
    } else {
      exchange = this.byStream.get(streamId);
      writer = this.newWriter();
      if (exchange) {
        // The client knows best that the old connection is gone.
        exchange.writer?.close();
        exchange.writer = writer;
        const ex = exchange;
        writer.onCancel(() => {
          if (ex.writer === writer) ex.writer = undefined;
        });
      }
    }
    writer.hold();
    // A request stream no call here owns: with several nodes, maybe one running on another
    // node, whose later events are followed from there (subscribed before the replay, so
    // nothing falls between the two).
    const follower = streamId !== this.standaloneStreamId && !exchange ? this.options.routing?.follow(streamId, writer, replayed) : undefined;
    let found: string | undefined;
    try {
      // Live events from other nodes must reach the stream from before the replay reads the store.
      await (follower ? follower.ready : streamId === this.standaloneStreamId ? this.standaloneWatch?.ready : undefined);
      found = await store.replayAfter(lastEventId, (eventId, message) => {
        replayed.add(eventId);
        follower?.replayed(message);
        writer.write(sseEvent(message, eventId));
      });
    } catch (error) {
      this.options.onerror(error as Error);
    }
    if (found === undefined) {
      follower?.stop();
      writer.close();
      if (exchange?.writer === writer) exchange.writer = undefined;
      return httpError(404, -32000, "Not Found: the events after this Last-Event-ID are no longer stored", headers);
    }
    writer.release(replayed);
    // Every reply of that POST was already sent: the replay was all it owed (or, with
    // several nodes, the follower decides once it knows whether the call still runs).
    if (follower) void follower.afterReplay();
    else if (streamId !== this.standaloneStreamId && !exchange) writer.close();
    return sseReply(writer, { ...SSE_HEADERS, ...headers });
  }

  send(message: JsonRpcMessage | JsonRpcMessage[], options?: SendOptions): void | Promise<void> {
    if (this.closed) throw new Error("Session closed");
    const responseId = responseIdOf(message);
    const exchange = this.byRequest.get(responseId ?? options?.relatedRequestId ?? NO_ID);
    if (responseId !== undefined) {
      if (!exchange) {
        this.options.onerror(new Error(`No open request ${JSON.stringify(responseId)} for this response; dropped`));
        return;
      }
      return this.toExchange(exchange, message, true);
    }
    // Replies related to a call travel on its stream; in JSON mode it has none.
    if (exchange && !exchange.json) return this.toExchange(exchange, message, false);
    return this.toStandalone(message);
  }

  private toExchange(exchange: Exchange, message: JsonRpcMessage | JsonRpcMessage[], isResponse: boolean): void | Promise<void> {
    if (isResponse) this.settle(exchange, message);
    if (exchange.json) {
      if (isResponse) this.finishJson(exchange, message);
      this.checkDrained();
      return;
    }
    const store = this.store;
    if (!store || !exchange.streamId) {
      const writer = exchange.writer;
      writer?.writeEvent(sseEvent(message));
      this.finishStream(exchange, isResponse);
      return isResponse ? undefined : writer?.capacity();
    }
    const streamId = exchange.streamId;
    const json = JSON.stringify(message);
    if (this.asyncPending === 0) {
      // A synchronous store (the default): no callback to allocate for every event.
      const eventId = store.append(streamId, message, json);
      if (typeof eventId === "string") return this.writeStored(exchange, json, eventId, isResponse);
      // Boxed, so the queue does not wait for the room (a promise in a promise would be awaited).
      return this.chain(eventId.then((id) => ({ room: this.writeStored(exchange, json, id, isResponse) })));
    }
    return this.append(streamId, message, json, (eventId) => this.writeStored(exchange, json, eventId, isResponse));
  }

  /** Writes an event the store has numbered; a reply that was the last one owed ends the stream. */
  private writeStored(exchange: Exchange, json: string, eventId: string, isResponse: boolean): Promise<void> | undefined {
    const writer = exchange.writer;
    writer?.writeEvent(sseEventOfJson(json, eventId), eventId);
    if (exchange.streamId) this.options.routing?.stored(exchange.streamId, eventId, json, isResponse && exchange.pending.size === 0);
    this.finishStream(exchange, isResponse);
    // A notification or request waits for room; a reply never does (nobody awaits it).
    return isResponse ? undefined : writer?.capacity();
  }

  private finishStream(exchange: Exchange, isResponse: boolean): void {
    if (!isResponse || exchange.pending.size > 0) return;
    exchange.writer?.close();
    exchange.writer = undefined;
    if (exchange.streamId) this.byStream.delete(exchange.streamId);
    this.checkDrained();
  }

  /**
   * A cancelled request gets no reply (the engine drops it), so its exchange is
   * settled here, or its POST would stay open and its session busy for ever: its SSE
   * stream ends, and a JSON POST is answered with the replies it has (202 if none).
   */
  private settleCancelled(body: unknown): void {
    for (const m of Array.isArray(body) ? body : [body]) {
      const n = m as { method?: unknown; params?: { requestId?: RequestId } };
      if (n.method !== "notifications/cancelled" || n.params?.requestId === undefined) continue;
      const id = n.params.requestId;
      const exchange = this.byRequest.get(id);
      if (!exchange) continue;
      this.byRequest.delete(id);
      exchange.pending.delete(id);
      if (exchange.pending.size === 0) {
        if (exchange.json) {
          const { batch, responses, resolve } = exchange.json;
          resolve(responses.length === 0 ? emptyReply(202, exchange.headers) : jsonReply(200, batch ? responses : responses[0]!, exchange.headers));
        } else {
          exchange.writer?.close();
          exchange.writer = undefined;
          if (exchange.streamId) {
            this.byStream.delete(exchange.streamId);
            this.options.routing?.finished(exchange.streamId);
          }
        }
      }
      this.checkDrained();
    }
  }

  private checkDrained(): void {
    if (this.byRequest.size === 0) this.drainedListener?.();
  }

  private settle(exchange: Exchange, message: JsonRpcMessage | JsonRpcMessage[]): void {
    for (const m of Array.isArray(message) ? message : [message]) {
      const id = (m as { id?: RequestId | null }).id;
      if (id === undefined || id === null) continue;
      exchange.pending.delete(id);
      if (this.byRequest.get(id) === exchange) this.byRequest.delete(id);
    }
  }

  private finishJson(exchange: Exchange, message: JsonRpcMessage | JsonRpcMessage[]): void {
    const json = exchange.json!;
    if (Array.isArray(message)) json.responses.push(...message);
    else json.responses.push(message);
    if (exchange.pending.size > 0) return;
    json.resolve(jsonReply(200, json.batch ? json.responses : json.responses[0]!, exchange.headers));
  }

  private toStandalone(message: JsonRpcMessage | JsonRpcMessage[]): void | Promise<void> {
    const store = this.store;
    if (!store) {
      this.standalone?.writeEvent(sseEvent(message));
      return this.standalone?.capacity();
    }
    // Stored even with no GET stream open, so a client that resumes gets it.
    const json = JSON.stringify(message);
    return this.append(this.standaloneStreamId, message, json, (eventId) => {
      const writer = this.standalone;
      writer?.writeEvent(sseEventOfJson(json, eventId), eventId);
      this.options.routing?.stored(this.standaloneStreamId, eventId, json, false);
      return writer?.capacity();
    });
  }

  /** Appends to the store, then writes; async stores are kept in order through `tail`. */
  private append(streamId: string, message: StoredMessage, json: string, write: (eventId: string) => Promise<void> | undefined): void | Promise<void> {
    const store = this.store!;
    if (this.asyncPending === 0) {
      const eventId = store.append(streamId, message, json);
      if (!(eventId instanceof Promise)) return write(eventId);
      // Boxed, so the queue does not wait for the room (a promise in a promise would be awaited).
      return this.chain(eventId.then((id) => ({ room: write(id) })));
    }
    return this.chain(this.tail.then(() => then(store.append(streamId, message, json), (id) => ({ room: write(id) }))));
  }

  /** Queues a step behind the previous ones; the returned promise also waits for the room it asks for (the queue does not). */
  private chain(step: Promise<{ room: Promise<void> | undefined }>): Promise<void> {
    this.asyncPending++;
    let room: Promise<void> | undefined;
    const next = step
      .then((r) => void (room = r.room), (error: Error) => this.options.onerror(error))
      .finally(() => void this.asyncPending--);
    this.tail = next;
    return next.then(() => room);
  }

  closeRequestStream(requestId: RequestId): void {
    const exchange = this.byRequest.get(requestId);
    // Without a store the client could not get the rest back: keep the stream.
    if (!exchange?.writer || !exchange.streamId) return;
    exchange.writer.close();
    exchange.writer = undefined;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.tail;
    for (const exchange of new Set(this.byRequest.values())) {
      exchange.writer?.close();
      exchange.json?.resolve(httpError(404, -32001, "Session closed before the request was answered", exchange.headers));
    }
    this.byRequest.clear();
    this.byStream.clear();
    this.standalone?.close();
    this.standalone = undefined;
    this.standaloneWatch?.stop();
    this.standaloneWatch = undefined;
    // With several nodes, one node letting go of the session does not end it: the
    // handler drops its events when it is deleted.
    if (this.sessionId !== undefined && this.options.nodeId === undefined) await this.options.eventStore?.dropSession(this.sessionId);
    this.sink?.closed();
    this.closeListener?.();
  }
}

const NO_ID = Symbol("no id") as unknown as RequestId;

/** SSE priming events began in 2025-11-25; older clients may choke on empty data. */
function supportsPriming(protocolVersion: string): boolean {
  return protocolVersion >= "2025-11-25";
}

/** The id a response answers (the first, for a batch of responses); undefined otherwise. */
function responseIdOf(message: JsonRpcMessage | JsonRpcMessage[]): RequestId | undefined {
  const first = Array.isArray(message) ? message.find((m) => (m as { id?: unknown }).id != null) : message;
  if (!first || "method" in first) return undefined;
  const id = (first as { id?: RequestId | null }).id;
  return id === null ? undefined : id;
}

/** Runs `f` now for a plain value, or after a promise: sync stores stay synchronous. */
function then<T, R>(value: T | Promise<T>, f: (v: T) => R): R | Promise<R> {
  return value instanceof Promise ? value.then(f) : f(value);
}
