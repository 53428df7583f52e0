import { listStacks, type PulumiRunner, sameStack } from "./cli.js";
import { stackNameForBranch } from "./stack-name.js";

/** What the teardown CLI was asked to destroy: exactly one of these. */
export type TeardownSelector = { branch: string } | { stack: string } | { target: string };

/**
 * The stack to destroy: a branch maps by the naming rule, a stack is taken as is, and a
 * `--target` (branch or stack) names an existing stack first, else the branch's stack.
 */
export async function resolveTeardownStack(
  pulumi: PulumiRunner,
  selector: TeardownSelector,
  defaultBranch: string,
): Promise<string> {
  if ("stack" in selector) return selector.stack;
  if ("branch" in selector) return stackNameForBranch(selector.branch, defaultBranch);
  const exists = (await listStacks(pulumi)).some((s) => sameStack(s.name, selector.target));
  return exists ? selector.target : stackNameForBranch(selector.target, defaultBranch);
}
