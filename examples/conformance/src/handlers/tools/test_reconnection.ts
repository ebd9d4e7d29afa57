import { setTimeout as sleep } from "node:timers/promises";
import type { TestReconnectionHandler } from "../../generated/contract.js";

/**
 * Tests SSE polling (SEP-1699). Over Streamable HTTP the stream carrying this call is
 * closed before the result exists; the client reconnects with Last-Event-ID and gets the
 * result from the event store. Over stdio there is no stream to close.
 */
export const handler: TestReconnectionHandler = async (_input, ctx) => {
  ctx.closeSseStream();
  await sleep(100, undefined, { signal: ctx.signal });
  return "Reconnection test completed successfully. If you received this, the client properly reconnected after stream closure.";
};
