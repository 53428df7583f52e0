import { firstError, isMissingStack, PulumiError, type PulumiRunner } from "./cli.js";
import { PROTECTED_STACK, qualifiedStack } from "./stack-name.js";

export type TeardownOutcome = "destroyed" | "already-gone";

export class RefusedError extends Error {
  override name = "RefusedError";
}

export interface TeardownOptions {
  stack: string;
  /** Must repeat the protected stack's name to destroy it. */
  confirm?: string | undefined;
  protectedStack?: string;
  /** Pulumi Cloud organisation (PULUMI_ORG): commands name the stack `<org>/<stack>`. */
  org?: string | undefined;
  log?: (line: string) => void;
}

/**
 * Destroys a stack's resources (refreshing first, so resources changed outside Pulumi are
 * found) and then removes the stack. Idempotent: a stack that does not exist is success.
 * If destroy fails the stack is kept, state and all, so a re-run can finish the job; the
 * stack is only removed once it is empty (no --force). It never lists stacks: the DIY
 * backend's ListStacks reads every stack's checkpoint and returns the first error
 * (pulumi/pulumi pkg/backend/diy/backend.go), so one stack this role may not read (production's)
 * would fail every teardown; `destroy` of a missing stack says "no stack named … found".
 */
export async function teardown(pulumi: PulumiRunner, options: TeardownOptions): Promise<TeardownOutcome> {
  const { stack } = options;
  const log = options.log ?? (() => {});
  const protectedStack = options.protectedStack ?? PROTECTED_STACK;
  if (stack === protectedStack && options.confirm !== stack) {
    throw new RefusedError(
      `refusing to destroy the protected stack "${stack}": re-run with confirm set to "${stack}" if you really mean it`,
    );
  }
  log(`destroying stack ${stack} …`);
  const target = qualifiedStack(stack, options.org);
  const destroy = await pulumi([
    "destroy",
    "--stack",
    target,
    "--yes",
    "--non-interactive",
    "--refresh",
    "--skip-preview",
  ]);
  if (destroy.code !== 0) {
    if (isMissingStack(destroy)) {
      log(`stack ${stack} does not exist: nothing to destroy`);
      return "already-gone";
    }
    throw new PulumiError(
      `pulumi destroy of ${stack} failed (${firstError(destroy)}); the stack and its state are kept. ` +
        "If it is locked by a cancelled run, run `pulumi cancel`; then re-run the teardown.",
      destroy,
    );
  }
  const remove = await pulumi(["stack", "rm", "--stack", target, "--yes"]);
  if (remove.code !== 0) {
    if (isMissingStack(remove)) return "destroyed";
    throw new PulumiError(`pulumi stack rm ${stack} failed (${firstError(remove)})`, remove);
  }
  log(`stack ${stack} destroyed and removed`);
  return "destroyed";
}
