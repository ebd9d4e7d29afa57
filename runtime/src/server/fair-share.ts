/**
 * Keeps one busy handler from starving everyone else. A handler that awaits
 * `ctx.log` or `ctx.progress` in a loop while the transport has room never gives the
 * event loop a turn (every await resolves at once, as a microtask), so no other
 * request, session or socket would be served until it ends. Past a small budget of
 * notifications in one turn of the event loop, each send also waits for the next turn,
 * after pending I/O has been handled: a flood is slowed, the server is not.
 */

/** Notifications the whole process may send in one turn before senders wait for the next. */
const TURN_BUDGET = 16;

// setImmediate runs after the poll phase (other sockets' I/O); setTimeout(0) where it is missing (Workers).
const nextTurn: (f: () => void) => void =
  typeof setImmediate === "function" ? (f) => void setImmediate(f) : (f) => void setTimeout(f, 0);

let sentThisTurn = 0;
let resetScheduled = false;

const resetTurn = () => {
  sentThisTurn = 0;
  resetScheduled = false;
};

/** `sent` (the transport's own wait for room), then the next turn when this one has used its budget. */
export function fairly(sent: Promise<void>): Promise<void> {
  if (!resetScheduled) {
    resetScheduled = true;
    nextTurn(resetTurn);
  }
  if (++sentThisTurn <= TURN_BUDGET) return sent;
  return sent.then(() => new Promise<void>((resolve) => nextTurn(resolve)));
}
