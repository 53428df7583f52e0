// Destroys and removes one stack:
//   lambda-stream-teardown (--branch B | --stack S | --target BRANCH_OR_STACK | --github-event) [--confirm S]
import { appendFile } from "node:fs/promises";
import { EXIT, OperationalError, parseFlags, runMain, UsageError } from "../cli.js";
import { githubFromEnv } from "../github/context.js";
import { readEvent, teardownRequest } from "../github/event.js";
import { pullRequestFor } from "../github/sticky-comment.js";
import { type ProjectInput, pulumiDirOf } from "../project.js";
import { PulumiError, pulumiRunner } from "../pulumi/cli.js";
import { stackNameForBranch } from "../pulumi/stack-name.js";
import { RefusedError, teardown } from "../pulumi/teardown.js";
import { resolveTeardownStack, type TeardownSelector } from "../pulumi/teardown-target.js";

const USAGE =
  "usage: lambda-stream-teardown (--branch B | --stack S | --target BRANCH_OR_STACK | --github-event) [--confirm S] --default-branch B (or env DEFAULT_BRANCH)";

async function output(values: Record<string, string | number | undefined>): Promise<void> {
  if (!process.env.GITHUB_OUTPUT) return;
  const lines = Object.entries(values).map(([key, value]) => `${key}=${value ?? ""}\n`);
  await appendFile(process.env.GITHUB_OUTPUT, lines.join(""));
}

/** The command; `argv` without node and the script, `project` what the caller knows of it. */
export function main(argv: string[] = process.argv.slice(2), project: ProjectInput = {}): Promise<void> {
  return runMain("teardown", async () => {
    const values = parseFlags(
      argv,
      {
        branch: { type: "string", description: "destroy this branch's stack" },
        stack: { type: "string", description: "destroy this stack by name" },
        target: { type: "string", description: "a stack name if one exists, else a branch" },
        "github-event": {
          type: "boolean",
          default: false,
          description: "read branch, PR and confirm from the workflow's event",
        },
        confirm: { type: "string", description: "repeat the protected stack's name to destroy it" },
        "default-branch": {
          type: "string",
          default: process.env.DEFAULT_BRANCH ?? "",
          description: "the branch whose stack is protected (env DEFAULT_BRANCH; required)",
        },
      },
      USAGE,
    );
    const chosen = [values.branch, values.stack, values.target, values["github-event"] || undefined].filter(
      Boolean,
    );
    if (chosen.length !== 1)
      throw new UsageError(`pass exactly one of --branch, --stack, --target and --github-event (see --help)`);
    // Never a guessed "main": the default branch decides which stack is the protected one.
    const defaultBranch = values["default-branch"];
    if (!defaultBranch)
      throw new UsageError(
        "the default branch is unknown: pass --default-branch or set DEFAULT_BRANCH (in a workflow: github.event.repository.default_branch)",
      );

    let selector: TeardownSelector;
    let confirm = values.confirm;
    let pr: number | undefined;
    if (values["github-event"]) {
      const event = await readEvent();
      const request = teardownRequest(event.name, event.payload);
      if (request.kind === "skip") {
        console.log(`nothing to tear down: ${request.reason}`);
        return EXIT.ok;
      }
      selector = { branch: request.branch };
      confirm = request.confirm ?? confirm;
      pr = request.pr;
      // Two open pull requests from one head branch share one stack: closing one must not
      // destroy it under the other (GitHub's "list pull requests" filters by head=owner:branch).
      if (request.closedPullRequest && process.env.GITHUB_TOKEN) {
        const github = githubFromEnv();
        const other = await pullRequestFor(github.octokit, github.owner, github.repo, request.branch, "open");
        if (other !== undefined && other !== pr) {
          const stack = stackNameForBranch(request.branch, defaultBranch);
          await output({ stack, outcome: "kept", pr });
          console.log(`${stack}: kept (pull request #${other} is still open from ${request.branch})`);
          return EXIT.ok;
        }
      }
      // A deleted branch names no pull request: mark the newest one of that branch, so the
      // second of the two teardowns a merge triggers still updates the comment.
      if (pr === undefined && process.env.GITHUB_TOKEN) {
        const github = githubFromEnv();
        pr = await pullRequestFor(github.octokit, github.owner, github.repo, request.branch, "all");
      }
    } else {
      selector = values.branch
        ? { branch: values.branch }
        : values.stack
          ? { stack: values.stack }
          : { target: values.target as string };
    }
    const pulumi = pulumiRunner(pulumiDirOf(project));
    let stack: string | undefined;
    try {
      stack = await resolveTeardownStack(pulumi, selector, defaultBranch);
      const outcome = await teardown(pulumi, {
        stack,
        confirm,
        org: process.env.PULUMI_ORG || undefined,
        log: (line) => console.log(line),
      });
      await output({ stack, outcome, pr });
      console.log(`${stack}: ${outcome}`);
      return EXIT.ok;
    } catch (error) {
      await output({ stack, outcome: "failure", pr });
      if (error instanceof RefusedError) throw new OperationalError(error.message);
      if (error instanceof PulumiError) {
        // Pulumi's own output first, for the details; then the one-line cause and fix.
        console.error((error.result.stderr || error.result.stdout).trim());
        throw new OperationalError(error.message);
      }
      throw error;
    }
  });
}
