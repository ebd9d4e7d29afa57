/**
 * Shared by the example tests: start an example as a real server process over stdio with
 * the official SDK client, and run `mcpgen check` on an example in-process.
 */
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { getDefaultEnvironment, StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { ClientCapabilities } from "@modelcontextprotocol/sdk/types.js";
import { main } from "../../generator/src/cli/main.js";

/** Absolute path of `examples/<name>`. */
export const exampleDir = (name: string): string => fileURLToPath(new URL(`../../examples/${name}/`, import.meta.url));

export interface Connected {
  client: Client;
  /** What the server wrote to stderr so far (for failure messages). */
  stderr(): string;
  close(): Promise<void>;
}

/**
 * Starts `node --import tsx src/server.ts` in the example's folder and connects the SDK
 * client to it. `setup` runs before `connect`, so request handlers (elicitation, sampling)
 * and notification handlers are in place before the server can use them.
 */
export async function connectExample(
  name: string,
  options: {
    capabilities?: ClientCapabilities;
    env?: Record<string, string>;
    setup?: (client: Client) => void;
  } = {},
): Promise<Connected> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ["--import", "tsx", "src/server.ts"],
    cwd: exampleDir(name),
    env: { ...getDefaultEnvironment(), ...options.env },
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const client = new Client({ name: `test-${name}`, version: "1.0.0" }, { capabilities: options.capabilities ?? {} });
  options.setup?.(client);
  try {
    await client.connect(transport);
  } catch (error) {
    await client.close().catch(() => {});
    throw new Error(`Could not start examples/${name}: ${(error as Error).message}\n--- server stderr ---\n${stderr}`);
  }
  return { client, stderr: () => stderr, close: () => client.close() };
}

/** `mcpgen check --cwd <example>` in-process, with captured output. */
export async function mcpgenCheck(name: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main(["check", "--cwd", exampleDir(name), "--no-color"], {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    cwd: process.cwd(),
    env: { NO_COLOR: "1" },
  });
  return { code, stdout, stderr };
}

/** The text of a result's content blocks that are text. */
export const textOf = (result: unknown): string =>
  (((result as { content?: unknown }).content ?? []) as { type: string; text?: string }[])
    .filter((block) => block.type === "text")
    .map((block) => block.text)
    .join("");

/** The text of a resources/read result's contents. */
export const contentsText = (result: { contents: unknown[] }): string =>
  (result.contents as { text?: string }[]).map((c) => c.text ?? "").join("");
