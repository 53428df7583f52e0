import { PROTECTED_STACK } from "../contract.js";
import { fitWithHash } from "../names.js";

export { PROTECTED_STACK };
/** Leaves room for every AWS name derived from it (see infra/naming.ts). */
export const MAX_STACK_NAME_LENGTH = 50;
const HASH_LENGTH = 8;
const HASHED = new RegExp(`-[0-9a-f]{${HASH_LENGTH}}$`);

/**
 * A branch's stack name: lowercase `[a-z0-9-]`, no leading, trailing or double hyphens, at
 * most MAX_STACK_NAME_LENGTH characters. Whenever the branch had to be altered or cut, a
 * hash of the original branch is appended, so two branches never share a stack. A name
 * that merely looks hashed, or that is the protected stack's, is hashed too; so names
 * ending in -<8 hex> are always hashed ones and cannot meet an untouched branch name.
 */
export function stackNameForBranch(branch: string, defaultBranch = "main"): string {
  const name = branch.replace(/^refs\/heads\//, "");
  if (!name.trim())
    throw new Error("stack name: the branch name is empty (pass the branch, e.g. feature/login)");
  if (name === defaultBranch) return PROTECTED_STACK;
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  // The branch deploy role is denied `<project>-production-*`: no branch stack may start so.
  const looksProtected = slug === PROTECTED_STACK || slug.startsWith(`${PROTECTED_STACK}-`);
  const untouched =
    slug === name && slug.length <= MAX_STACK_NAME_LENGTH && !looksProtected && !HASHED.test(slug);
  return fitWithHash(
    name,
    looksProtected ? `branch-${slug}` : slug,
    MAX_STACK_NAME_LENGTH,
    untouched,
    "branch",
  );
}

/**
 * The stack as Pulumi Cloud should be told it: `<org>/<stack>` when an organisation is set
 * (a bare name goes to the token's default organisation, for a personal token the user's own),
 * the bare name otherwise (the S3 backend has no organisations).
 */
export function qualifiedStack(stack: string, org: string | undefined): string {
  return org ? `${org}/${stack}` : stack;
}
