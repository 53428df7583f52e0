import { createHash } from "node:crypto";

/**
 * Every physical name starts with this prefix, so the deploy role's policy can be
 * scoped to `lambda-streaming-*`. It must equal `name:` in infra/Pulumi.yaml (a test
 * checks); rename both together when you copy the template.
 */
export const PROJECT_NAME = "lambda-streaming";

/** Lambda function names and IAM role names: at most 64 characters. */
export const AWS_NAME_LIMIT = 64;
const STACK_PART_LIMIT = 32;

export type FunctionKind = "stream" | "buffer";

export interface PhysicalNames {
  functionName: string;
  roleName: string;
  logGroupName: string;
  logPolicyName: string;
}

/**
 * The stack's share of a name: the stack as is when it is short and already
 * `[a-z0-9-]`, else a cut-down version with a hash of the full stack name, so two stacks
 * never produce the same names (any stack name Pulumi accepts, up to 100 characters).
 */
export function stackPart(stack: string): string {
  const clean = stack
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-|-$/g, "");
  if (clean === stack && clean.length > 0 && clean.length <= STACK_PART_LIMIT) return clean;
  const hash = createHash("sha256").update(stack).digest("hex").slice(0, 8);
  const stem = clean.slice(0, STACK_PART_LIMIT - hash.length - 1).replace(/-$/, "");
  return stem ? `${stem}-${hash}` : hash;
}

export function physicalNames(stack: string, kind: FunctionKind, project = PROJECT_NAME): PhysicalNames {
  const functionName = `${project}-${stackPart(stack)}-${kind}`;
  return {
    functionName,
    roleName: `${functionName}-role`,
    logGroupName: `/aws/lambda/${functionName}`,
    logPolicyName: "write-own-log-group",
  };
}

/** AWS tag values: at most 256 of letters, digits, spaces and `_.:/=+-@`. */
export function tagValue(value: string): string {
  return value.replace(/[^\p{L}\p{N} _.:/=+\-@]/gu, "_").slice(0, 256) || "_";
}
