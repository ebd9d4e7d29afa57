import { notImplemented } from "@mcpgen/runtime";
import type { CompletionHandler, GithubRepoRead } from "../../generated/contract.js";

/** Contents of github://repos/{owner}/{repo}. */
export const read: GithubRepoRead = async (params, uri, ctx) => {
  throw notImplemented("Resource template", "github_repo", "src/handlers/resources/github_repo.ts");
};

/** Suggestions for {repo}. */
export const completeRepo: CompletionHandler = async (value, context, ctx) => {
  return [];
};
