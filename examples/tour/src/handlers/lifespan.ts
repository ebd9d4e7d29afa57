/**
 * Runs once before the server takes requests. What it returns is `ctx.app` in every
 * handler, typed: open database connections, clients and caches here.
 */
export async function start() {
  return {
    startedAt: new Date(),
  };
}

/** Runs once when the server shuts down: close what `start` opened. */
export async function stop(app: Awaited<ReturnType<typeof start>>): Promise<void> {
  void app;
}
