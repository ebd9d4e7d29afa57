import type { ChildProcess, StdioOptions } from "node:child_process";
import { constants } from "node:os";
import type { Readable } from "node:stream";
import type { CliIO } from "./io.js";

/**
 * stdio for a child that writes to the CLI's streams: the real descriptors when the CLI
 * runs on the process's own streams (the bin), pipes otherwise (tests run it in-process).
 */
export function childStdio(io: CliIO, stdin: "inherit" | "ignore", stderr: "forward" | "pipe" = "forward"): StdioOptions {
  return [stdin, io.stdout === process.stdout ? "inherit" : "pipe", stderr === "forward" && io.stderr === process.stderr ? "inherit" : "pipe"];
}

/** Copies a child's piped output to a CLI stream. */
export function forward(from: Readable | null, to: CliIO["stdout"]): void {
  from?.on("data", (chunk: Buffer) => to.write(chunk.toString("utf8")));
}

/** Calls `each` with every complete line of a stream (and the last partial one at its end). */
export function lines(from: Readable | null, each: (line: string) => void): void {
  if (!from) return;
  let buffer = "";
  from.on("data", (chunk: Buffer) => {
    buffer += chunk.toString("utf8");
    let nl;
    while ((nl = buffer.indexOf("\n")) !== -1) {
      each(buffer.slice(0, nl).replace(/\r$/, ""));
      buffer = buffer.slice(nl + 1);
    }
  });
  from.on("end", () => {
    if (buffer) each(buffer);
    buffer = "";
  });
}

/** A shell's exit status for a child's end: its code, or 128 + the signal's number. */
export function exitStatus(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  return 128 + (signal ? (constants.signals[signal] ?? 1) : 1);
}

/**
 * Resolves with the child's exit status once it has exited (at once if it already has);
 * with `event: "close"`, once its piped output has been read too.
 */
export function exited(child: ChildProcess, event: "exit" | "close" = "exit"): Promise<number> {
  if (event === "exit" && (child.exitCode !== null || child.signalCode !== null)) return Promise.resolve(exitStatus(child.exitCode, child.signalCode));
  return new Promise((resolve) => {
    child.once(event, (code: number | null, signal: NodeJS.Signals | null) => resolve(exitStatus(code, signal)));
    // A child that could not be started at all.
    child.once("error", () => resolve(127));
  });
}

/**
 * Stops a child: SIGTERM (a generated server then drains and closes), SIGKILL if it is
 * still there after `graceMs`. Resolves when it is gone.
 */
export async function stopChild(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const done = exited(child);
  child.kill("SIGTERM");
  let timer: ReturnType<typeof setTimeout> | undefined;
  const killed = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      child.kill("SIGKILL");
      resolve();
    }, graceMs);
  });
  await Promise.race([done, killed]);
  clearTimeout(timer);
  await done;
}

/** Runs `handler` on SIGINT, SIGTERM and SIGHUP; returns a function that removes it. */
export function onTermination(handler: (signal: NodeJS.Signals) => void): () => void {
  const signals: NodeJS.Signals[] = process.platform === "win32" ? ["SIGINT", "SIGTERM"] : ["SIGINT", "SIGTERM", "SIGHUP"];
  for (const s of signals) process.on(s, handler);
  return () => {
    for (const s of signals) process.off(s, handler);
  };
}

/**
 * `node` arguments that make a child stop itself (SIGTERM, so a server drains) when the
 * mcpgen process that started it goes away without stopping it (killed with SIGKILL,
 * say): it notices its parent changed. Inline, so it needs no file on disk.
 */
export const PARENT_WATCHDOG = [
  "--import",
  `data:text/javascript,const p=process.ppid;setInterval(()=>{if(process.ppid!==p)process.kill(process.pid,"SIGTERM")},500).unref()`,
];
