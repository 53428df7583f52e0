// Finds ephemeral stacks whose branch is gone or that sat idle past the TTL, and (with
// --mode apply) destroys them. Dry run by default: it only prints what it would do.
import { appendFile } from "node:fs/promises";
import { $ } from "zx/core";
import { EXIT, integer, OperationalError, parseFlags, runMain, UsageError } from "../cli.js";
import { githubFromEnv } from "../github/context.js";
import { type ProjectInput, pulumiDirOf } from "../project.js";
import { listStacks, PulumiError, pulumiRunner, stackOutputs } from "../pulumi/cli.js";
import { branchOfStack, janitorTable, parseLsRemote, planJanitor } from "../pulumi/janitor.js";
import { qualifiedStack } from "../pulumi/stack-name.js";
import { teardown } from "../pulumi/teardown.js";

const USAGE =
  "usage: lambda-stream-janitor [--mode dry-run|apply] [--dispatch] [--ttl-days 7] [--remote origin] --default-branch B (or env DEFAULT_BRANCH)";
/** The workflow whose runs destroy a branch's stack inside that branch's concurrency group. */
const TEARDOWN_WORKFLOW = "teardown.yml";

/**
 * The branches that exist now: from GitHub's API in a workflow (a checkout without
 * persisted credentials cannot ls-remote a private repository), else `git ls-remote`.
 * Without the list every stack would look orphaned, so failing to get it is fatal.
 */
async function listBranches(remote: string): Promise<string[]> {
  if (process.env.GITHUB_TOKEN && process.env.GITHUB_REPOSITORY) {
    const github = githubFromEnv();
    const branches = await github.octokit.paginate(github.octokit.rest.repos.listBranches, {
      owner: github.owner,
      repo: github.repo,
      per_page: 100,
    });
    return branches.map((branch) => branch.name);
  }
  const result = await $({ nothrow: true, quiet: true, verbose: false })`git ls-remote --heads ${remote}`;
  if (result.exitCode !== 0) {
    throw new OperationalError(
      `git ls-remote --heads ${remote} failed (${result.stderr.trim().split("\n")[0]}): cannot tell which branches exist`,
    );
  }
  return parseLsRemote(result.stdout);
}

/** The command; `argv` without node and the script, `project` what the caller knows of it. */
export function main(argv: string[] = process.argv.slice(2), project: ProjectInput = {}): Promise<void> {
  return runMain("janitor", async () => {
    const values = parseFlags(
      argv,
      {
        mode: { type: "string", default: "dry-run", description: "dry-run (print only) or apply (destroy)" },
        "ttl-days": {
          type: "string",
          default: process.env.STACK_TTL_DAYS || "7",
          description: "destroy stacks idle longer, 1 to 365 (env STACK_TTL_DAYS)",
        },
        remote: {
          type: "string",
          default: "origin",
          description: "git remote whose branches exist (outside GitHub Actions)",
        },
        dispatch: {
          type: "boolean",
          default: false,
          description: `apply by dispatching ${TEARDOWN_WORKFLOW} per stack (GitHub Actions), not by destroying here`,
        },
        "default-branch": {
          type: "string",
          default: process.env.DEFAULT_BRANCH ?? "",
          description: "the branch whose stack is protected (env DEFAULT_BRANCH; required)",
        },
      },
      USAGE,
    );
    if (values.mode !== "dry-run" && values.mode !== "apply") {
      throw new UsageError(`--mode ${JSON.stringify(values.mode)}: expected dry-run or apply`);
    }
    // Never a guessed "main": every stack would look orphaned, or production unprotected.
    if (!values["default-branch"])
      throw new UsageError(
        "the default branch is unknown: pass --default-branch or set DEFAULT_BRANCH (in a workflow: github.event.repository.default_branch || github.ref_name)",
      );
    const apply = values.mode === "apply";
    const ttlDays = integer("ttl-days", values["ttl-days"], 1, 365);
    const pulumi = pulumiRunner(pulumiDirOf(project));
    const branches = await listBranches(values.remote);
    let stacks: Awaited<ReturnType<typeof listStacks>>;
    try {
      stacks = await listStacks(pulumi);
    } catch (error) {
      if (error instanceof PulumiError) throw new OperationalError(error.message);
      throw error;
    }
    const decisions = planJanitor({
      stacks,
      branches,
      defaultBranch: values["default-branch"],
      now: new Date(),
      ttlDays,
    });
    const outcomes = new Map<string, string>();
    let failures = 0;
    // In a workflow every destroy goes through the branch's own Teardown run: it queues in the
    // branch's concurrency group (pulumi-<branch>), so it never meets a deploy of that branch
    // half-way; a destroy from this run would be outside the group. The job's own GITHUB_TOKEN may
    // dispatch it: events it causes start no workflow runs, "with the exception of workflow_dispatch
    // and repository_dispatch" (GitHub docs, "Triggering a workflow from a workflow").
    const github = values.dispatch ? githubFromEnv() : undefined;
    // Pulumi Cloud names stacks <org>/<stack> (PULUMI_ORG); the S3 backend has no organisations.
    const org = process.env.PULUMI_ORG || undefined;
    if (apply) {
      for (const decision of decisions.filter((d) => d.action === "destroy")) {
        try {
          if (github) {
            const outputs = await stackOutputs(pulumi, qualifiedStack(decision.stack, org));
            const branch = branchOfStack(decision.stack, outputs, values["default-branch"]);
            if (!branch) {
              failures++;
              outcomes.set(
                decision.stack,
                `skipped: no branch output maps to it; run Teardown by hand (or teardown.ts --stack ${decision.stack})`,
              );
              continue;
            }
            await github.octokit.rest.actions.createWorkflowDispatch({
              owner: github.owner,
              repo: github.repo,
              workflow_id: TEARDOWN_WORKFLOW,
              ref: values["default-branch"],
              inputs: { branch },
            });
            outcomes.set(decision.stack, `teardown dispatched for branch ${branch}`);
          } else {
            outcomes.set(decision.stack, await teardown(pulumi, { stack: decision.stack, org }));
          }
        } catch (error) {
          failures++;
          outcomes.set(decision.stack, `failed: ${(error as Error).message.split("\n")[0]}`);
        }
      }
    }
    const table = janitorTable(decisions, apply, outcomes);
    console.log(table);
    if (process.env.GITHUB_STEP_SUMMARY) await appendFile(process.env.GITHUB_STEP_SUMMARY, `${table}\n`);
    return failures > 0 ? EXIT.failed : EXIT.ok;
  });
}
