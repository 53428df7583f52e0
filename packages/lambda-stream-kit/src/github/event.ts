import { readFile } from "node:fs/promises";
import { UsageError } from "../cli.js";

/** What the teardown workflow's event asks for. */
export type TeardownRequest =
  | { kind: "branch"; branch: string; pr?: number; confirm?: string; closedPullRequest?: boolean }
  | { kind: "skip"; reason: string };

/**
 * Dependabot's login on pull requests it opens. The deploy skips its pull requests by their
 * author, not by `github.actor` (a person pushing to a Dependabot branch is the actor then,
 * and the pull request is still Dependabot's), so no such stack ever exists to tear down.
 */
export const DEPENDABOT_LOGIN = "dependabot[bot]";

interface EventPayload {
  repository?: { full_name?: string };
  pull_request?: {
    number?: number;
    head?: { ref?: string; repo?: { full_name?: string } | null };
    user?: { login?: string };
  };
  ref?: string;
  ref_type?: string;
  inputs?: { branch?: string; confirm?: string };
}

/**
 * Reads the branch (and PR, and a dispatch's confirm) from the event payload file instead
 * of `${{ }}` expressions, so no untrusted text is ever pasted into a shell command.
 */
export function teardownRequest(eventName: string, payload: EventPayload): TeardownRequest {
  switch (eventName) {
    case "pull_request": {
      const pr = payload.pull_request;
      if (!pr?.head?.ref) throw new UsageError("pull_request event without pull_request.head.ref");
      if (pr.head.repo?.full_name !== payload.repository?.full_name) {
        return { kind: "skip", reason: "the pull request came from a fork, which never had a stack" };
      }
      if (pr.user?.login === DEPENDABOT_LOGIN) {
        return {
          kind: "skip",
          reason: "Dependabot's pull requests are never deployed, so there is no stack",
        };
      }
      return {
        kind: "branch",
        branch: pr.head.ref,
        closedPullRequest: true,
        ...(pr.number ? { pr: pr.number } : {}),
      };
    }
    case "delete":
      if (payload.ref_type !== "branch" || !payload.ref) {
        return { kind: "skip", reason: `a ${payload.ref_type ?? "ref"} was deleted, not a branch` };
      }
      return { kind: "branch", branch: payload.ref };
    case "workflow_dispatch": {
      const branch = payload.inputs?.branch?.trim();
      if (!branch)
        throw new UsageError("workflow_dispatch needs the input branch (the branch whose stack to destroy)");
      return {
        kind: "branch",
        branch,
        ...(payload.inputs?.confirm ? { confirm: payload.inputs.confirm } : {}),
      };
    }
    default:
      throw new UsageError(
        `teardown does not handle the ${eventName} event (pull_request, delete, workflow_dispatch)`,
      );
  }
}

export async function readEvent(
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ name: string; payload: EventPayload }> {
  const name = env.GITHUB_EVENT_NAME;
  const path = env.GITHUB_EVENT_PATH;
  if (!name || !path)
    throw new UsageError(
      "--github-event needs GITHUB_EVENT_NAME and GITHUB_EVENT_PATH (set in GitHub Actions)",
    );
  return { name, payload: JSON.parse(await readFile(path, "utf8")) as EventPayload };
}
