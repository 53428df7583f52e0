import { lambdaLogGroup } from "../lambda/contract.js";
import { fitWithHash } from "../lambda/names.js";

/**
 * Every physical name starts with this prefix, so the deploy roles' policies can be
 * scoped to `lambda-streaming-*`. It must equal `name:` in infra/Pulumi.yaml (a test
 * checks); rename both together when you copy the template.
 */
export const PROJECT_NAME = "lambda-streaming";

/**
 * The longest project name every AWS name built from it still fits: the state bucket's
 * `bucketPrefix` `<project>-pulumi-state-` may be 37 characters (S3 bucket_prefix, the AWS
 * provider's limit), which leaves 23; the roles and functions have more room.
 */
export const PROJECT_NAME_LIMIT = 37 - "-pulumi-state-".length;

/** A project name every AWS name can start with, or one line naming the limit and the fix. */
export function checkProjectName(name: string): string {
  if (!/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/.test(name) || name.length > PROJECT_NAME_LIMIT) {
    throw new Error(
      `project name ${JSON.stringify(name)} is not usable: use 1 to ${PROJECT_NAME_LIMIT} of [a-z0-9-] (the state bucket's prefix "<name>-pulumi-state-" may have 37 characters); change name: in infra/Pulumi.yaml and PROJECT_NAME in infra/naming.ts together`,
    );
  }
  return name;
}
checkProjectName(PROJECT_NAME);

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

/** The AWS names of one function (a row of lambda/functions.ts) in one stack, each within its limit. */
export function physicalNames(stack: string, functionName: string, project = PROJECT_NAME): PhysicalNames {
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
