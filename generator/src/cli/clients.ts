import { join, win32, posix } from "node:path";
import { homedir } from "node:os";

/** A server entry as `install` describes it, before a client's shape is applied. */
export type ServerEntry =
  | { kind: "stdio"; command: string; args: string[]; env: Record<string, string> }
  | { kind: "http"; url: string };

export interface ClientContext {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  /** The project folder (the working directory) for project-level configs. */
  cwd: string;
  global: boolean;
}

export interface Client {
  id: string;
  title: string;
  /** The member holding the servers. */
  key: "mcpServers" | "servers";
  /** The client reads JSON with comments (JSONC). */
  comments: boolean;
  /** Has a user-wide config selectable with --global (besides its project one). */
  hasGlobal: boolean;
  path(ctx: ClientContext): string;
  /** The entry's JSON in this client's schema, or a reason it cannot have it. */
  shape(entry: ServerEntry): Record<string, unknown> | { unsupported: string };
  /** What to do after the config changed. */
  next: string;
}

/** The user's home: $HOME (or %USERPROFILE% on Windows) first, so tests and sandboxes can move it. */
export function home(ctx: Pick<ClientContext, "platform" | "env">): string {
  return (ctx.platform === "win32" ? ctx.env.USERPROFILE ?? ctx.env.HOME : ctx.env.HOME) ?? homedir();
}

const pathJoin = (platform: NodeJS.Platform, ...parts: string[]) => (platform === "win32" ? win32.join(...parts) : posix.join(...parts));

const stdioWithEnv = (e: Extract<ServerEntry, { kind: "stdio" }>, extra: Record<string, unknown> = {}) => ({
  ...extra,
  command: e.command,
  args: e.args,
  ...(Object.keys(e.env).length > 0 ? { env: e.env } : {}),
});

export const CLIENTS: Record<string, Client> = {
  "claude-desktop": {
    id: "claude-desktop",
    title: "Claude Desktop",
    key: "mcpServers",
    comments: false,
    hasGlobal: false,
    path(ctx) {
      if (ctx.platform === "darwin") return pathJoin("darwin", home(ctx), "Library", "Application Support", "Claude", "claude_desktop_config.json");
      if (ctx.platform === "win32") {
        const appData = ctx.env.APPDATA ?? win32.join(home(ctx), "AppData", "Roaming");
        return win32.join(appData, "Claude", "claude_desktop_config.json");
      }
      const config = ctx.env.XDG_CONFIG_HOME || posix.join(home(ctx), ".config");
      return posix.join(config, "Claude", "claude_desktop_config.json");
    },
    shape: (e) =>
      e.kind === "stdio"
        ? stdioWithEnv(e)
        : { unsupported: "Claude Desktop's config file only starts local (stdio) servers: add a remote server in Claude Desktop under Settings → Connectors, or install the local server (drop --http)." },
    next: "Restart Claude Desktop (quit it fully) to load the server.",
  },
  "claude-code": {
    id: "claude-code",
    title: "Claude Code",
    key: "mcpServers",
    comments: false,
    hasGlobal: false,
    path: (ctx) => join(ctx.cwd, ".mcp.json"),
    shape: (e) => (e.kind === "stdio" ? stdioWithEnv(e, { type: "stdio" }) : { type: "http", url: e.url }),
    next: "Start `claude` in this folder and approve the project's server when asked (`/mcp` shows its status).",
  },
  cursor: {
    id: "cursor",
    title: "Cursor",
    key: "mcpServers",
    comments: false,
    hasGlobal: true,
    path: (ctx) => (ctx.global ? pathJoin(ctx.platform, home(ctx), ".cursor", "mcp.json") : join(ctx.cwd, ".cursor", "mcp.json")),
    shape: (e) => (e.kind === "stdio" ? stdioWithEnv(e) : { url: e.url }),
    next: "Open Cursor Settings → MCP (Tools & Integrations) and enable the server.",
  },
  vscode: {
    id: "vscode",
    title: "VS Code",
    key: "servers",
    comments: true,
    hasGlobal: false,
    path: (ctx) => join(ctx.cwd, ".vscode", "mcp.json"),
    shape: (e) => (e.kind === "stdio" ? stdioWithEnv(e, { type: "stdio" }) : { type: "http", url: e.url }),
    next: "In VS Code, open .vscode/mcp.json and press Start above the server (or run \"MCP: List Servers\").",
  },
};

/** Keys `install` owns in an entry; any other key (disabled, autoApprove, ...) is kept. */
const OWNED = ["type", "command", "args", "env", "url"];
/** Keys that belong to the other kind of entry, dropped when an entry switches kind. */
const STDIO_ONLY = ["command", "args", "env", "envFile", "cwd"];
const HTTP_ONLY = ["url", "headers"];

/**
 * The entry to write, given the one in the file: owned keys are replaced (in place, so the
 * key order stays), the other kind's keys dropped, every other key kept. Existing `env`
 * variables are kept unless given again.
 */
export function mergeEntry(current: unknown, next: Record<string, unknown>, kind: ServerEntry["kind"]): Record<string, unknown> {
  if (!current || typeof current !== "object" || Array.isArray(current)) return next;
  const cur = current as Record<string, unknown>;
  const drop = new Set(kind === "stdio" ? HTTP_ONLY : STDIO_ONLY);
  const merged: Record<string, unknown> = {};
  const nextEnv = next.env as Record<string, string> | undefined;
  const curEnv = cur.env && typeof cur.env === "object" && !Array.isArray(cur.env) ? (cur.env as Record<string, unknown>) : undefined;
  const env = kind === "stdio" && (curEnv || nextEnv) ? { ...curEnv, ...nextEnv } : undefined;
  for (const [k, v] of Object.entries(cur)) {
    if (drop.has(k)) continue;
    if (k === "env" && kind === "stdio") merged.env = env;
    else if (OWNED.includes(k)) {
      if (k in next) merged[k] = next[k];
    } else merged[k] = v;
  }
  for (const [k, v] of Object.entries(next)) if (!(k in merged)) merged[k] = k === "env" ? env : v;
  if (env && !("env" in merged)) merged.env = env;
  if (merged.env && Object.keys(merged.env as object).length === 0) delete merged.env;
  return merged;
}
