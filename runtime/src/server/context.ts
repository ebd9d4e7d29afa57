import { ErrorCode, McpError, type RequestId } from "../protocol/jsonrpc.js";
import type { IncomingRequest, Peer, RequestOptions } from "../protocol/engine.js";
import type {
  ClientCapabilities,
  CreateMessageParams,
  CreateMessageResult,
  ElicitResult,
  Implementation,
  JsonSchema,
  LoggingLevel,
  ReadResourceResult,
  Root,
} from "../protocol/types.js";
import { LOGGING_LEVELS } from "../protocol/types.js";
import type { InputRequest } from "../protocol/types.js";
import type { AuthInfo } from "../protocol/transport.js";
import type { Features } from "../protocol/versions.js";
import { fairly } from "./fair-share.js";
import { missingCapability, missingCapabilityError, type InputRound } from "./input-required.js";
import type { TaskControl } from "./task-types.js";
import type { ModernEnvelope } from "./modern-types.js";

/** Most requests to the client (elicitation, sampling, roots) awaiting an answer in one session. */
export const MAX_PENDING_CLIENT_REQUESTS = 256;

export type LogFn = (data: unknown, logger?: string) => Promise<void>;

/** Logging to the client (`notifications/message`), honouring the level it asked for. */
export interface Logger extends Record<LoggingLevel, LogFn> {
  log(level: LoggingLevel, data: unknown, logger?: string): Promise<void>;
}

export interface ElicitOptions {
  /** Validates the accepted content (a precompiled validator for the form's schema). */
  validate?: (content: unknown) => boolean;
  timeoutMs?: number;
  /** 2026-07-28: the input's key in `inputRequests` (default: `elicitation_<n>`, by call order). */
  key?: string;
}

/** Options of `ctx.sample()` and `ctx.listRoots()`. */
export interface InputOptions {
  timeoutMs?: number;
  /** 2026-07-28: the input's key in `inputRequests` (default: `sampling_<n>` / `roots_<n>`, by call order). */
  key?: string;
}

/**
 * The server behind a context: what handlers reach through `ctx.session.server`.
 * McpServer implements it (declared here because the server module sits above this one).
 */
export interface ContextServer {
  /** The lifespan's value. */
  readonly app: unknown;
  /** Tells every session subscribed to `uri` that it changed. */
  notifyResourceUpdated(uri: string): Promise<void>;
}

/**
 * The session (connection) a request arrived on, as a context and its handler see it:
 * what Context uses plus the rest of ServerSession's documented members. ServerSession
 * implements it (the object is one, or a per-request view of one); declared here because
 * the session module imports this one (it makes a Context per request), so this one
 * cannot import the session.
 */
export interface ContextSession {
  readonly server: ContextServer;
  readonly peer: Peer;
  /** The transport's session id (Streamable HTTP); undefined on stdio. */
  readonly id: string | undefined;
  readonly protocolVersion: string;
  readonly features: Features;
  readonly clientInfo?: Implementation;
  readonly clientCapabilities: ClientCapabilities;
  /** Serving one stateless HTTP request: nothing can be sent to the client outside its reply. */
  readonly stateless: boolean;
  /** Set on the per-request view that serves a 2026-07-28 request. */
  readonly modern?: ModernEnvelope;
  /** After `initialize`. */
  readonly initialized: boolean;
  /** After `notifications/initialized`. */
  readonly ready: boolean;
  isSubscribed(uri: string): boolean;
  sendLog(level: LoggingLevel, data: unknown, logger: string | undefined, relatedRequestId?: RequestId): Promise<void>;
  readResource(uri: string, ctx: Context<any>): Promise<ReadResourceResult>;
  /** Closes the connection after in-flight requests finish. */
  close(): Promise<void>;
}

/**
 * Everything a handler can do besides computing its result. One is made per request;
 * the typed, per-item variants the generator emits extend it.
 */
export class Context<App = unknown> {
  /** @internal */
  constructor(
    /** The session (connection) this request arrived on. */
    readonly session: ContextSession,
    private readonly req: IncomingRequest,
  ) {}

  get requestId(): RequestId {
    return this.req.id;
  }
  get method(): string {
    return this.req.method;
  }
  /** Aborted when the client cancels the request or the connection closes. */
  get signal(): AbortSignal {
    return this.req.signal;
  }
  /** The application context made by the server's lifespan hook. */
  get app(): App {
    return this.session.server.app as App;
  }
  /**
   * Closes the SSE stream this request's replies travel on (Streamable HTTP with
   * resumability), so a long call does not hold a connection: the client reconnects
   * and receives what it missed. Elsewhere it does nothing.
   */
  closeSseStream(): void {
    this.session.peer.currentTransport?.closeRequestStream?.(this.req.id);
  }

  /** The caller's verified identity (HTTP transports with auth). */
  get auth(): AuthInfo | undefined {
    return this.req.extra?.authInfo;
  }
  get sessionId(): string | undefined {
    return this.session.id;
  }

  /**
   * @internal The input-required round of a 2026-07-28 tools/call, prompts/get or
   * resources/read: where `elicitForm`, `sample` and `listRoots` find their answers.
   */
  inputRound?: InputRound;

  /** @internal Set on a 2026-07-28 tools/call that may become a task (tasks extension). */
  task?: TaskControl;

  /**
   * Turns this call into a task (a tool with `task: {start: handler}`): the client gets the
   * task handle now, and the rest of the handler runs in the background; inputs asked from
   * here on wait for tasks/update. Inputs asked before it are input-required rounds.
   * Anywhere else (a plain call, the session era, a task already started) it does nothing.
   */
  startTask(): Promise<void> {
    return this.task ? this.task.start() : Promise.resolve();
  }

  /** The task this call runs as, once started; undefined for a plain call. */
  get taskId(): string | undefined {
    return this.task?.taskId;
  }

  /**
   * A short human-readable status. In a task it becomes the task's `statusMessage` (what
   * `tasks/get` shows); in a plain call it is sent as a progress message when the client
   * asked for progress.
   */
  async status(message: string): Promise<void> {
    if (this.task?.started) return this.task.status(message);
    // Progress must increase with each notification: nudge it past the last one, same total.
    await this.progress(this.lastProgress + 1e-6, this.lastTotal, message);
  }
  private lastProgress = 0;
  private lastTotal?: number;

  /** Whether this request is of the 2026-07-28 era (stateless, per-request `_meta`). */
  get isModern(): boolean {
    return this.session.modern !== undefined;
  }

  /**
   * 2026-07-28: how many input-required rounds came before this run of the handler
   * (0 on the first call; each retry with `inputResponses` re-runs the handler).
   */
  get round(): number {
    return this.inputRound?.round ?? 0;
  }

  /**
   * 2026-07-28: data carried from one round to the next inside the sealed
   * `requestState` (JSON; the client can read it but not change it). Set it before an
   * input the client has not answered yet; the retry's run reads it back.
   */
  get roundData(): unknown {
    return this.inputRound?.data;
  }
  set roundData(value: unknown) {
    if (this.inputRound) this.inputRound.data = value;
  }
  get protocolVersion(): string {
    return this.session.protocolVersion;
  }
  get clientInfo(): Implementation | undefined {
    return this.session.clientInfo;
  }
  get clientCapabilities(): ClientCapabilities {
    return this.session.clientCapabilities;
  }
  /** The `_meta` object the client sent with this request. */
  get meta(): Record<string, unknown> | undefined {
    return this.req.params._meta as Record<string, unknown> | undefined;
  }

  private logger?: Logger;
  get log(): Logger {
    if (!this.logger) {
      const log = (level: LoggingLevel, data: unknown, logger?: string) =>
        // A task has no stream to log on (the extension carries no messages for tasks).
        this.task?.started ? Promise.resolve() : this.session.sendLog(level, data, logger, this.req.id);
      const l = { log } as Logger;
      for (const level of LOGGING_LEVELS) {
        l[level] = (data, logger) => log(level, data, logger);
      }
      this.logger = l;
    }
    return this.logger;
  }

  /**
   * Reports progress when the client asked for it (a progressToken); otherwise does
   * nothing. MCP progress tokens are strings or numbers: any other value is ignored as
   * if absent, never echoed back.
   * Resolves once the transport has room again: await it in loops.
   */
  async progress(progress: number, total?: number, message?: string): Promise<void> {
    this.lastProgress = progress;
    this.lastTotal = total;
    // In a task, progress shows in its statusMessage.
    if (this.task?.started) return this.task.status(message ?? (total !== undefined ? `${progress}/${total}` : `${progress}`));
    const token = (this.meta as { progressToken?: unknown } | undefined)?.progressToken;
    if (!isProgressToken(token)) return;
    const params: Record<string, unknown> = { progressToken: token, progress };
    if (total !== undefined) params.total = total;
    if (message !== undefined && this.session.features.progressMessage) params.message = message;
    await fairly(this.session.peer.notify("notifications/progress", params, { relatedRequestId: this.req.id }));
  }

  /** Reads another resource of this server, as a client would. */
  readResource(uri: string): Promise<ReadResourceResult> {
    return this.session.readResource(uri, this);
  }

  /** Tells subscribed clients that a resource changed. */
  notifyResourceUpdated(uri: string): Promise<void> {
    return this.session.server.notifyResourceUpdated(uri);
  }

  /** Asks the user for structured input (form-mode elicitation). */
  async elicitForm<T = Record<string, unknown>>(
    message: string,
    requestedSchema: JsonSchema,
    options: ElicitOptions = {},
  ): Promise<ElicitResult<T>> {
    if (this.session.modern) {
      const result = await this.input<ElicitResult<T>>("elicitation/create", { mode: "form", message, requestedSchema }, options.key, "form elicitation");
      if (result.action === "accept" && options.validate && !options.validate(result.content)) {
        throw new McpError(ErrorCode.InvalidParams, "The client's elicitation answer does not match the requested schema");
      }
      return result;
    }
    this.require(this.elicitationCapability("form"), this.session.features.elicitation, this.hasElicitation("form"), "form elicitation");
    const result = await this.clientRequest<ElicitResult<T>>(
      "elicitation/create",
      { mode: this.session.features.urlElicitation ? "form" : undefined, message, requestedSchema },
      options.timeoutMs,
    );
    if (result.action === "accept" && options.validate && !options.validate(result.content)) {
      throw new McpError(ErrorCode.InvalidParams, "The client's elicitation answer does not match the requested schema");
    }
    return result;
  }

  /** Sends the user to a URL (URL-mode elicitation, 2025-11-25). */
  async elicitUrl(message: string, url: string, elicitationId: string = crypto.randomUUID(), options: { key?: string } = {}): Promise<ElicitResult> {
    // 2026-07-28 has no elicitationId (nor elicitation/complete).
    if (this.session.modern) return this.input<ElicitResult>("elicitation/create", { mode: "url", message, url }, options.key, "URL elicitation");
    this.require(this.elicitationCapability("url"), this.session.features.urlElicitation, this.hasElicitation("url"), "URL elicitation");
    return this.clientRequest<ElicitResult>("elicitation/create", { mode: "url", message, url, elicitationId });
  }

  /** Asks the client's model for a completion; a string is sent as one user message. */
  async sample(request: CreateMessageParams | string, options: InputOptions = {}): Promise<CreateMessageResult> {
    const params: CreateMessageParams =
      typeof request === "string"
        ? { messages: [{ role: "user", content: { type: "text", text: request } }], maxTokens: 1000 }
        : request;
    if (this.session.modern) {
      return this.input<CreateMessageResult>("sampling/createMessage", { ...params } as Record<string, unknown>, options.key, "sampling");
    }
    const caps = this.session.clientCapabilities.sampling;
    this.require("sampling", true, caps !== undefined, "sampling");
    if (params.tools && params.tools.length > 0) {
      this.require("sampling", this.session.features.samplingTools, caps?.tools !== undefined, "sampling with tools");
    }
    return this.clientRequest<CreateMessageResult>("sampling/createMessage", params as unknown as Record<string, unknown>, options.timeoutMs);
  }

  /** The client's roots (directories or URIs it exposes). */
  async listRoots(options: InputOptions = {}): Promise<Root[]> {
    if (this.session.modern) {
      const result = await this.input<{ roots: Root[] }>("roots/list", {}, options.key, "roots");
      return result.roots;
    }
    this.require("roots", true, this.session.clientCapabilities.roots !== undefined, "roots");
    const result = await this.clientRequest<{ roots: Root[] }>("roots/list", {});
    return result.roots ?? [];
  }

  /** Low level: any request to the client, tied to this request. */
  clientRequest<T>(method: string, params: Record<string, unknown>, timeoutMs?: number): Promise<T> {
    if (this.session.modern) {
      if (method === "elicitation/create" || method === "sampling/createMessage" || method === "roots/list") {
        return this.input<T>(method, params, undefined, method);
      }
      return Promise.reject(new McpError(ErrorCode.InvalidRequest, `${method} cannot be sent: in protocol revision 2026-07-28 a server sends no requests to the client`));
    }
    // Each awaits the client's answer, holding its handler: a client that never answers cannot pile them up.
    if (this.session.peer.pendingCount >= MAX_PENDING_CLIENT_REQUESTS) {
      return Promise.reject(
        new McpError(ErrorCode.InternalError, `${method} not sent: ${MAX_PENDING_CLIENT_REQUESTS} requests to the client already await an answer in this session`),
      );
    }
    const options: RequestOptions = { signal: this.signal, relatedRequestId: this.req.id };
    if (timeoutMs !== undefined) options.timeoutMs = timeoutMs;
    return this.session.peer.request<T>(method, stripUndefined(params), options);
  }

  /**
   * Low level: any notification to the client, tied to this request. Like `log` and
   * `progress`, it resolves once the transport has room again (a flood is slowed to the
   * client's pace, and takes turns with other work).
   */
  notify(method: string, params?: Record<string, unknown>): Promise<void> {
    return fairly(this.session.peer.notify(method, params, { relatedRequestId: this.req.id }));
  }

  /**
   * 2026-07-28: an input answered by the retry's `inputResponses` (or an earlier round's),
   * else recorded for the `input_required` result (the call then rejects with
   * InputRequired). -32021 when the client did not declare the capability it needs.
   */
  private input<T>(method: InputRequest["method"], params: Record<string, unknown>, key: string | undefined, what: string): Promise<T> {
    const request: InputRequest = { method, params: stripUndefined({ ...params }) };
    const missing = missingCapability(request, this.session.clientCapabilities);
    if (missing) {
      const error = missingCapabilityError(missing, what);
      if (this.inputRound) this.inputRound.refused ??= error;
      return Promise.reject(error);
    }
    if (!this.inputRound) {
      return Promise.reject(
        new McpError(
          ErrorCode.InvalidRequest,
          `${what} is not available in ${this.method}: in protocol revision 2026-07-28 only tools/call, prompts/get and resources/read can ask the client for input`,
        ),
      );
    }
    return this.inputRound.ask<T>(request, key);
  }

  private hasElicitation(mode: "form" | "url"): boolean {
    const e = this.session.clientCapabilities.elicitation as Record<string, unknown> | undefined;
    if (!e) return false;
    // An empty elicitation capability means form mode only (2025-11-25).
    if (mode === "form") return Object.keys(e).length === 0 || e.form !== undefined;
    return e.url !== undefined;
  }

  /** The capability to name when a mode is missing: the mode once elicitation itself is declared. */
  private elicitationCapability(mode: "form" | "url"): string {
    return this.session.clientCapabilities.elicitation ? `elicitation.${mode}` : "elicitation";
  }

  private require(capability: string, versionAllows: boolean, clientHas: boolean, what: string): void {
    if (!versionAllows) {
      throw new McpError(
        ErrorCode.InvalidRequest,
        `${what} is not available: protocol version ${this.session.protocolVersion} does not support it`,
      );
    }
    if (this.session.stateless) {
      throw new McpError(
        ErrorCode.InvalidRequest,
        `${what} is not available in stateless mode: a stateless HTTP server cannot send requests to the client`,
        { requiredCapability: capability },
      );
    }
    if (!clientHas) {
      throw new McpError(
        ErrorCode.InvalidRequest,
        `${what} is not available: the client did not declare the '${capability}' capability`,
        { requiredCapability: capability },
      );
    }
  }
}

function stripUndefined(o: Record<string, unknown>): Record<string, unknown> {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

/** A valid progress token: a string, or a finite number (MCP's `ProgressToken`). */
export const isProgressToken = (token: unknown): token is string | number =>
  typeof token === "string" || (typeof token === "number" && Number.isFinite(token));
