/**
 * The author's hooks into request handling: middleware around every request and raw
 * handlers for any method. They see only the request's context, so the session (which
 * runs them) and the server (which stores them) can both name them without importing
 * each other.
 */
import type { Context } from "./context.js";

/** What every request passes through: call `next()` to continue, or throw to refuse. */
export type Middleware = (request: MiddlewareRequest, next: () => Promise<unknown>) => Promise<unknown>;

export interface MiddlewareRequest {
  method: string;
  params: Record<string, unknown>;
  ctx: Context<any>;
}

/** Low-level handler for any method, built-in or custom (as the Python SDK's low-level server). */
export type RawRequestHandler = (params: Record<string, unknown>, ctx: Context<any>) => unknown;
