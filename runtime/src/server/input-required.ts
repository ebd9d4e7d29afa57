/**
 * Input-required round trips (2026-07-28 "MRTR"). In that revision a server never sends
 * requests to the client: a tools/call, prompts/get or resources/read that needs the
 * user (elicitation), the client's model (sampling) or its roots ends with
 * `{resultType: "input_required", inputRequests, requestState}`, and the client retries
 * the same request, under a new id, with `inputResponses` and the `requestState`.
 *
 * The handler does not change: `ctx.elicitForm()`, `ctx.sample()`, `ctx.listRoots()` and
 * `ctx.elicitUrl()` answer from `inputResponses` (and from the answers of earlier rounds,
 * which travel in the sealed `requestState`). An input without an answer is recorded,
 * and the call rejects with `InputRequired`; once the handler has settled, every input
 * it asked for without an answer goes out in one `input_required` result, so inputs
 * asked for together (`Promise.all`) are asked in one round. Each run of the handler is
 * a re-run from the start: its inputs get the same keys each time (an explicit `key`,
 * or the kind and its ordinal: `elicitation_1`, `sampling_1`, `roots_1`...).
 */
import { ErrorCode, McpError } from "../protocol/jsonrpc.js";
import type { ClientCapabilities, InputRequest } from "../protocol/types.js";

/** Thrown from an input a 2026-07-28 client has not answered yet; the call ends with input_required. */
export class InputRequired extends Error {
  constructor(readonly key: string) {
    super(`Input '${key}' is required from the client; the request ends with resultType "input_required"`);
    this.name = "InputRequired";
  }
}

/** Whether an error is the input-required signal (rethrow it from your own `catch`). */
export const isInputRequired = (error: unknown): error is InputRequired => error instanceof InputRequired;

const KIND: Record<InputRequest["method"], string> = {
  "elicitation/create": "elicitation",
  "sampling/createMessage": "sampling",
  "roots/list": "roots",
};

/** One run of a handler in an input-required exchange. */
export class InputRound {
  /** Inputs asked for without an answer, in the order asked. */
  readonly pending = new Map<string, InputRequest>();
  /** Answers this run used (they travel to the next round in requestState). */
  readonly used: Record<string, unknown> = Object.create(null);
  /** An input the client lacks the capability for: the call fails with it (-32021), whatever else is pending. */
  refused?: McpError;
  private readonly counters = new Map<string, number>();
  private readonly keys = new Set<string>();

  constructor(
    /** Answers available: earlier rounds' (from requestState) and this request's inputResponses. */
    private readonly answers: Record<string, unknown>,
    /** Rounds completed before this one. */
    readonly round: number,
    /** Data the handler carried over from the previous round (`ctx.roundData`). */
    public data?: unknown,
  ) {}

  /** The key of the next input: the given one (made unique), or the kind and its ordinal. */
  private keyFor(method: InputRequest["method"], key: string | undefined): string {
    let base = key;
    if (base === undefined) {
      const kind = KIND[method];
      const n = (this.counters.get(kind) ?? 0) + 1;
      this.counters.set(kind, n);
      base = `${kind}_${n}`;
    }
    let unique = base;
    for (let i = 2; this.keys.has(unique); i++) unique = `${base}_${i}`;
    this.keys.add(unique);
    return unique;
  }

  /**
   * The client's answer to an input, or a rejection with InputRequired (the input is
   * recorded for the input_required result). The rejected promise is marked handled,
   * so inputs started together and abandoned do not crash the process.
   */
  ask<T>(request: InputRequest, key?: string): Promise<T> {
    const k = this.keyFor(request.method, key);
    if (Object.prototype.hasOwnProperty.call(this.answers, k)) {
      const answer = this.answers[k];
      const problem = checkAnswer(request.method, answer);
      if (problem) return Promise.reject(new McpError(ErrorCode.InvalidParams, `Invalid inputResponses["${k}"]: ${problem}`));
      this.used[k] = answer;
      return Promise.resolve(answer as T);
    }
    this.pending.set(k, request);
    const p = Promise.reject(new InputRequired(k));
    p.catch(() => undefined);
    return p;
  }
}

/** Why an answer cannot be the result of its input request; undefined when it can. */
export function checkAnswer(method: InputRequest["method"], answer: unknown): string | undefined {
  if (answer === null || typeof answer !== "object" || Array.isArray(answer)) return "expected a result object";
  const a = answer as Record<string, unknown>;
  switch (method) {
    case "elicitation/create":
      if (a.action !== "accept" && a.action !== "decline" && a.action !== "cancel") return "an elicitation result needs action accept, decline or cancel";
      if (a.content !== undefined && (a.content === null || typeof a.content !== "object" || Array.isArray(a.content))) return "elicitation content must be an object";
      return undefined;
    case "sampling/createMessage":
      if (a.content === undefined || typeof a.role !== "string") return "a sampling result needs role and content";
      return undefined;
    case "roots/list":
      if (!Array.isArray(a.roots)) return "a roots result needs a roots array";
      return undefined;
  }
}

/**
 * Checks `inputResponses` as sent: absent, or an object whose every value is a result
 * object. Anything else is -32602 (a protocol error, not a re-ask).
 */
export function checkInputResponses(value: unknown): Record<string, unknown> {
  if (value === undefined) return {};
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new McpError(ErrorCode.InvalidParams, "Invalid params: inputResponses must be an object of results keyed by input");
  }
  for (const [k, v] of Object.entries(value)) {
    if (v === null || typeof v !== "object" || Array.isArray(v)) {
      throw new McpError(ErrorCode.InvalidParams, `Invalid params: inputResponses["${k}"] must be a result object`);
    }
  }
  return value as Record<string, unknown>;
}

/**
 * The client capability an input request needs, as a ClientCapabilities object naming
 * it (for -32021's `requiredCapabilities`); undefined when the client declared it.
 */
export function missingCapability(request: InputRequest, caps: ClientCapabilities): ClientCapabilities | undefined {
  switch (request.method) {
    case "elicitation/create": {
      const e = caps.elicitation as Record<string, unknown> | undefined;
      const url = request.params?.mode === "url";
      if (!e) return { elicitation: url ? { url: {} } : {} };
      if (url) return e.url === undefined ? { elicitation: { url: {} } } : undefined;
      // An empty elicitation capability means form mode.
      return Object.keys(e).length === 0 || e.form !== undefined ? undefined : { elicitation: { form: {} } };
    }
    case "sampling/createMessage": {
      const s = caps.sampling;
      const tools = Array.isArray(request.params?.tools) && (request.params!.tools as unknown[]).length > 0;
      if (!s) return { sampling: tools ? { tools: {} } : {} };
      return tools && s.tools === undefined ? { sampling: { tools: {} } } : undefined;
    }
    case "roots/list":
      return caps.roots ? undefined : { roots: {} };
  }
}

/** -32021 naming what is missing (HTTP 400 on Streamable HTTP). */
export function missingCapabilityError(required: ClientCapabilities, what: string): McpError {
  const names = Object.keys(required).join(", ");
  return new McpError(
    ErrorCode.MissingRequiredClientCapability,
    `Missing required client capability: ${what} needs '${names}', which the client did not declare`,
    { requiredCapabilities: required },
  );
}
