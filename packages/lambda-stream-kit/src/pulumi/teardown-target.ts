import { firstError, isMissingStack, PulumiError, type PulumiRunner } from "./cli.js";
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
  return (await stackExists(pulumi, selector.target))
    ? selector.target
    : stackNameForBranch(selector.target, defaultBranch);
}

/**
 * Whether one stack exists, asked of that stack alone (`stack select`), never by listing: the
 * DIY backend's `stack ls` fails on the first checkpoint this role may not read.
 */
export async function stackExists(pulumi: PulumiRunner, stack: string): Promise<boolean> {
  const selected = await pulumi(["stack", "select", "--stack", stack]);
  if (selected.code === 0) return true;
  if (isMissingStack(selected)) return false;
  throw new PulumiError(`pulumi stack select ${stack} failed (${firstError(selected)})`, selected);
}
