/**
 * Reads a file as it was in a git revision (`git show <ref>:<path>`), with errors a user can
 * act on: git missing, not a repository, unknown revision, file absent from the revision.
 */

import { execFile } from "node:child_process";
import { existsSync, realpathSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";

/** A problem the user can fix (exit code 2), as opposed to a bug. */
export class GitError extends Error {}

interface GitResult {
  ok: boolean;
  stdout: string;
  stderr: string;
  /** ENOENT: git itself is not installed. */
  missing: boolean;
}

function git(args: string[], cwd: string): Promise<GitResult> {
  return new Promise((resolvePromise) => {
    execFile("git", args, { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, env: { ...process.env, GIT_TERMINAL_PROMPT: "0" } }, (error, stdout, stderr) => {
      const code = (error as NodeJS.ErrnoException | null)?.code;
      resolvePromise({ ok: !error, stdout: String(stdout ?? ""), stderr: String(stderr ?? ""), missing: code === "ENOENT" });
    });
  });
}

const real = (p: string): string => {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
};

export interface GitFile {
  text: string;
  /** `HEAD:mcp.yaml`: the revision and the path inside the repository. */
  label: string;
}

/**
 * The text of `manifestAbs` (a path in the working tree) at revision `ref`. `ref` may also be
 * `<rev>:<path>` to name the file explicitly (git's syntax: the path is relative to the
 * repository root, or to the manifest's folder when it starts with `./`).
 */
export async function readAtRevision(ref: string, manifestAbs: string): Promise<GitFile> {
  if (ref === "" || ref.startsWith("-")) throw new GitError(`'${ref}' is not a git revision`);
  const dir = existsSync(dirname(manifestAbs)) ? dirname(manifestAbs) : process.cwd();
  const top = await git(["rev-parse", "--show-toplevel"], dir);
  if (top.missing) throw new GitError("git is not installed (or not on PATH); pass --against a file instead of a git revision");
  if (!top.ok) {
    throw new GitError(`${dir} is not inside a git repository, so '${ref}' cannot be read from git; pass --against a file path to compare with a file`);
  }
  const root = real(top.stdout.trim());
  const colon = ref.indexOf(":");
  const rev = colon > 0 ? ref.slice(0, colon) : ref;
  const path = colon > 0 ? ref.slice(colon + 1) : relative(root, join(real(dirname(manifestAbs)), basename(manifestAbs))).split("\\").join("/");
  if (colon < 0 && (path.startsWith("../") || path === "..")) throw new GitError(`${manifestAbs} is outside the git repository at ${root}`);

  const verified = await git(["rev-parse", "--verify", "--quiet", "--end-of-options", `${rev}^{commit}`], dir);
  if (!verified.ok) throw new GitError(`unknown git revision '${rev}' (and no file of that name)`);
  const spec = `${rev}:${path}`;
  const shown = await git(["show", "--no-textconv", spec, "--"], dir);
  if (!shown.ok) {
    throw new GitError(`${path} does not exist in ${rev}${/exists on disk, but not in/.test(shown.stderr) ? " (it is new since then)" : ""}: nothing to compare with`);
  }
  return { text: shown.stdout, label: spec };
}
