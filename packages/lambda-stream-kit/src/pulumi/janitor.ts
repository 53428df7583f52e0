import type { StackInfo } from "./cli.js";
import { PROTECTED_STACK, stackNameForBranch } from "./stack-name.js";

export interface JanitorDecision {
  stack: string;
  lastUpdate: string;
  action: "destroy" | "keep" | "skip";
  reason: string;
}

export interface JanitorInput {
  stacks: StackInfo[];
  /** Branches that exist on the remote now. */
  branches: string[];
  defaultBranch: string;
  now: Date;
  ttlDays: number;
  protectedStack?: string;
}

const DAY_MS = 86_400_000;

/** Parses `git ls-remote --heads <remote>` output into branch names. */
export function parseLsRemote(output: string): string[] {
  return output
    .split("\n")
    .map((line) => /^[0-9a-f]{40,64}\trefs\/heads\/(.+)$/.exec(line.trim())?.[1])
    .filter((branch): branch is string => Boolean(branch));
}

/**
 * Which stacks to destroy: those whose branch is gone, and those idle past the TTL.
 * Never the protected stack, and never a stack mid-update (destroying it would fight the
 * running `pulumi up` for the lock).
 */
export function planJanitor(input: JanitorInput): JanitorDecision[] {
  const protectedStack = input.protectedStack ?? PROTECTED_STACK;
  const live = new Set(input.branches.map((branch) => stackNameForBranch(branch, input.defaultBranch)));
  return input.stacks.map((info) => {
    const stack = info.name.split("/").at(-1) ?? info.name;
    const lastUpdate = info.lastUpdate ?? "";
    const decide = (action: JanitorDecision["action"], reason: string) => ({
      stack,
      lastUpdate,
      action,
      reason,
    });
    if (stack === protectedStack) return decide("keep", "protected (the default branch's stack)");
    if (info.updateInProgress) return decide("skip", "an update is in progress");
    if (!live.has(stack)) return decide("destroy", "its branch no longer exists");
    const updated = Date.parse(lastUpdate);
    if (Number.isNaN(updated)) return decide("destroy", "never updated (no last update time)");
    const idleDays = (input.now.getTime() - updated) / DAY_MS;
    if (idleDays > input.ttlDays) {
      return decide("destroy", `idle ${Math.floor(idleDays)} days, over the ${input.ttlDays}-day TTL`);
    }
    return decide("keep", `active: updated ${Math.floor(idleDays)} day(s) ago`);
  });
}

/**
 * Which branch a stack deploys, from its `branch` output (infra/index.ts): the janitor
 * dispatches the branch's teardown with it, so the destroy runs in the branch's concurrency
 * group. Undefined when the stack has no such output (deployed before it existed) or the
 * output does not map back to this stack (never guess: another branch's stack could go).
 */
export function branchOfStack(
  stack: string,
  outputs: Record<string, unknown>,
  defaultBranch: string,
): string | undefined {
  const branch = outputs.branch;
  if (typeof branch !== "string" || branch === "") return undefined;
  return stackNameForBranch(branch, defaultBranch) === stack ? branch : undefined;
}

export function janitorTable(
  decisions: JanitorDecision[],
  applied: boolean,
  outcomes: Map<string, string> = new Map(),
) {
  const rows = decisions.map(
    (d) =>
      `| \`${d.stack}\` | ${d.lastUpdate || "–"} | ${d.action}${d.action === "destroy" && !applied ? " (dry run)" : ""} | ${d.reason} | ${outcomes.get(d.stack) ?? ""} |`,
  );
  return [
    `### 🧹 Janitor: ${decisions.filter((d) => d.action === "destroy").length} of ${decisions.length} stacks to destroy${applied ? "" : " (dry run: nothing changed)"}`,
    "",
    "| stack | last update | action | why | result |",
    "| --- | --- | --- | --- | --- |",
    ...rows,
    "",
  ].join("\n");
}
