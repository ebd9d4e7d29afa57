import type { CompletionHandler, GithubRepoRead } from "../../generated/contract.js";

/** Contents of github://repos/{owner}/{repo}. */
export const read: GithubRepoRead = async ({ owner, repo }) => `Repository: ${owner}/${repo}`;

const REPOS: Record<string, string[]> = {
  modelcontextprotocol: ["python-sdk", "typescript-sdk", "specification"],
};

/**
 * Suggestions for {repo} (the README's "Completions" example): the client passes the
 * variables already chosen in `context.arguments`, so the owner narrows the repositories.
 */
export const completeRepo: CompletionHandler = async (value, context) =>
  (REPOS[context.arguments.owner ?? ""] ?? []).filter((repo) => repo.startsWith(value));
