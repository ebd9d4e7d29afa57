/**
 * The fixture's timed behaviour. The conformance suite expects a tool, a resource and a
 * prompt that appear 2 s after the server starts, and a subscribable resource that changes
 * every 3 s. The dynamic items are declared in mcp.yaml with `enabled: false`; enabling
 * them here tells connected clients their lists changed.
 */
import type { LifespanServer } from "../generated/contract.js";

/** How long after start the dynamic items appear, and how often the watched resource changes. */
export const DYNAMIC_AFTER_MS = 2000;
export const WATCHED_EVERY_MS = 3000;

export async function start(server: LifespanServer) {
  const watched = { version: 1, updatedAt: new Date() };
  const reveal = setTimeout(() => {
    server.items.tools.test_dynamic_tool.enable();
    server.items.resources["dynamic-resource"].enable();
    server.items.prompts.test_dynamic_prompt.enable();
  }, DYNAMIC_AFTER_MS);
  const tick = setInterval(() => {
    watched.version++;
    watched.updatedAt = new Date();
    void server.notifyResourceUpdated("test://watched-resource");
  }, WATCHED_EVERY_MS);
  // The timers never keep the process alive on their own: the transport decides that.
  reveal.unref();
  tick.unref();
  // `items`: test_trigger_tool_change and test_trigger_prompt_change switch items through it.
  return { watched, timers: { reveal, tick }, items: server.items };
}

export async function stop(app: Awaited<ReturnType<typeof start>>): Promise<void> {
  clearTimeout(app.timers.reveal);
  clearInterval(app.timers.tick);
}
