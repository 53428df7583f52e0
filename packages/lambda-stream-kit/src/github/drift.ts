import type { Octokit } from "@octokit/rest";
import { previewSection } from "./preview.js";

/** What a drift run found: no changes, changes (drift), or no verdict (the preview failed). */
export type DriftStatus = "clean" | "drift" | "error";

/**
 * `pulumi preview --refresh --expect-no-changes`, judged by its exit code and output. The CLI
 * fails with "error: no changes were expected but changes were proposed" when the refreshed
 * state differs from the program (pulumi/pulumi pkg/cmd/pulumi preview.go; newer releases word
 * it "no changes were expected for <operation> but changes were proposed", NoChangesExpectedError);
 * any other failure is no verdict at all (credentials, the backend, the program itself).
 */
export function classifyPreview(exitCode: number, output: string): DriftStatus {
  if (exitCode === 0) return "clean";
  return /no changes were expected(?: for \w+)? but changes were proposed/.test(output) ? "drift" : "error";
}

export interface DriftTarget {
  owner: string;
  repo: string;
  /** The Pulumi project and stack: the issue's hidden marker, so each stack has one issue. */
  project: string;
  stack: string;
}

export type DriftAction = "opened" | "updated" | "closed" | "none";

const marker = (t: DriftTarget) => `<!-- ${t.project}:drift stack=${t.stack} -->`;

/** The issue's body: what changed, counted, and the whole preview folded away. */
export function driftIssueBody(target: DriftTarget, output: string, footer: string): string {
  return [
    marker(target),
    `Production's resources no longer match the Pulumi program: \`pulumi preview --refresh\` of \`${target.stack}\` proposes changes.`,
    "Fix it by deploying the program again (a push to the default branch), or by changing the program to what is there now; this issue closes itself when a drift check finds the stack clean.",
    "",
    previewSection(output, footer).replace(/^### 🔍 Preview: /, "### Changes a deploy would make: "),
  ].join("\n");
}

/**
 * One open issue per stack while it drifts: opened at the first drift, its body brought up to
 * date at the next ones, closed (with a comment) when the stack is clean again. A run with no
 * verdict leaves the issue as it is.
 */
export async function reconcileDriftIssue(
  octokit: Octokit,
  target: DriftTarget,
  status: DriftStatus,
  output: string,
  footer: string,
): Promise<{ action: DriftAction; number?: number }> {
  if (status === "error") return { action: "none" };
  const open = (
    await octokit.paginate(octokit.rest.issues.listForRepo, {
      owner: target.owner,
      repo: target.repo,
      state: "open",
      per_page: 100,
    })
  ).find((issue) => !issue.pull_request && (issue.body ?? "").includes(marker(target)));
  if (status === "clean") {
    if (!open) return { action: "none" };
    await octokit.rest.issues.createComment({
      owner: target.owner,
      repo: target.repo,
      issue_number: open.number,
      body: `The drift check found \`${target.stack}\` clean again: closing.\n\n${footer}`,
    });
    await octokit.rest.issues.update({
      owner: target.owner,
      repo: target.repo,
      issue_number: open.number,
      state: "closed",
    });
    return { action: "closed", number: open.number };
  }
  const body = driftIssueBody(target, output, footer);
  if (open) {
    await octokit.rest.issues.update({
      owner: target.owner,
      repo: target.repo,
      issue_number: open.number,
      body,
    });
    return { action: "updated", number: open.number };
  }
  const created = await octokit.rest.issues.create({
    owner: target.owner,
    repo: target.repo,
    title: `Drift: ${target.stack} no longer matches its Pulumi program`,
    body,
  });
  return { action: "opened", number: created.data.number };
}
