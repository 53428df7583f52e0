import { lambdaLogGroup } from "../contract.js";
import { fitWithHash } from "../names.js";

/** Lambda function names and IAM role names: at most 64 characters. */
export const AWS_NAME_LIMIT = 64;
const STACK_PART_LIMIT = 32;
const ROLE_SUFFIX = "-role";

export interface PhysicalNames {
  functionName: string;
  roleName: string;
  logGroupName: string;
  logPolicyName: string;
}

/**
 * The stack's share of a name: the stack as is when it is short enough and already
 * `[a-z0-9-]`, else a cut-down version with a hash of the full stack name, so two stacks
 * never produce the same names (any stack name Pulumi accepts, up to 100 characters).
 */
export function stackPart(stack: string, limit = STACK_PART_LIMIT): string {
  const clean = stack
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-|-$/g, "");
  return fitWithHash(stack, clean, limit, clean === stack);
}

/**
 * The AWS names of one function (a row of the function table) in one stack, each within its
 * limit. Every name starts with the project's name, so the deploy roles' policies can be
 * scoped to `<project>-*`.
 */
export function physicalNames(stack: string, functionName: string, project: string): PhysicalNames {
  const room = AWS_NAME_LIMIT - ROLE_SUFFIX.length - project.length - functionName.length - 2;
  const name = `${project}-${stackPart(stack, Math.min(STACK_PART_LIMIT, room))}-${functionName}`;
  return {
    functionName: name,
    roleName: `${name}${ROLE_SUFFIX}`,
    logGroupName: lambdaLogGroup(name),
    logPolicyName: "write-own-log-group",
  };
}

/** AWS tag values: at most 256 of letters, digits, spaces and `_.:/=+-@`. */
export function tagValue(value: string): string {
  return value.replace(/[^\p{L}\p{N} _.:/=+\-@]/gu, "_").slice(0, 256) || "_";
}
