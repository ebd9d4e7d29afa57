import type { Progress } from "../protocol/engine.js";
import type { ClientCapabilities, CreateMessageParams, CreateMessageResult, ElicitResult, LoggingLevel, Root, Tool } from "../protocol/types.js";

/** Which protocol era a client speaks: see `ClientOptions.protocolEra`. */
export type ProtocolEra = "legacy" | "auto" | "modern";

export interface ElicitationRequest {
  mode?: "form" | "url";
  message: string;
  requestedSchema?: Record<string, unknown>;
  url?: string;
  elicitationId?: string;
}

export interface LogMessage {
  level: LoggingLevel;
  logger?: string;
  data: unknown;
}

export interface ClientOptions {
  /** Protocol version to ask for (default: the latest session-era revision). */
  protocolVersion?: string;
  /** Extra capabilities; those implied by the callbacks below are added automatically. */
  capabilities?: ClientCapabilities;
  /** Answers sampling/createMessage; declares the sampling capability. */
  onSampling?: (params: CreateMessageParams, signal: AbortSignal) => CreateMessageResult | Promise<CreateMessageResult>;
  /** Whether the sampling callback accepts `tools` (declares sampling.tools). */
  samplingTools?: boolean;
  /** Answers elicitation/create; declares the elicitation capability (form, and url if `elicitationModes` says so). */
  onElicitation?: (params: ElicitationRequest, signal: AbortSignal) => ElicitResult | Promise<ElicitResult>;
  elicitationModes?: ("form" | "url")[];
  /**
   * Fill in what an accepted form leaves out from the `default`s of the requested schema,
   * as a form pre-filled with them would (SEP-1034; default true). False sends exactly
   * what `onElicitation` returned.
   */
  elicitationDefaults?: boolean;
  /** Roots offered to the server; declares the roots capability. */
  roots?: Root[] | (() => Root[] | Promise<Root[]>);
  onLog?: (message: LogMessage) => void;
  /** Any other server notification. */
  onNotification?: (method: string, params: Record<string, unknown>) => void;
  /** Default request timeout (ms); progress notifications restart it. */
  timeoutMs?: number;
  /**
   * Which protocol era to speak. "legacy" (default): the initialize handshake.
   * "auto": ask `server/discover` first and speak 2026-07-28 when the server offers it,
   * else fall back to initialize. "modern": 2026-07-28 only.
   */
  protocolEra?: ProtocolEra;
  /** How long the server/discover probe may take before "auto" falls back to initialize (ms, default 10 000). */
  probeTimeoutMs?: number;
  /** 2026-07-28: most input-required rounds one call may take (default 10). */
  maxInputRounds?: number;
  /** 2026-07-28: a listed tool left out because its `x-mcp-header` annotations are invalid. */
  onInvalidTool?: (tool: Tool, reason: string) => void;
  /**
   * 2026-07-28: declare the tasks extension (default true), so the server may answer a
   * tools/call with a task. `callTool` then waits for the task's result; `callToolAsTask`
   * returns the handle. False: task tools run as plain calls (those that require a task fail).
   */
  tasks?: boolean;
}

export interface CallOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Progress notifications; for a call that became a task, each change of its status message. */
  onprogress?: (progress: Progress) => void;
}
