import type * as pulumi from "@pulumi/pulumi";
import { AUTH_TYPES, type AuthType, MEMORY_MB, PROTECTED_STACK, TIMEOUT_S } from "../contract.js";
import type { FunctionSpec } from "../functions.js";
import { DEFAULT_LAMBDA_RUNTIME, LAMBDA_RUNTIMES, type LambdaRuntime } from "../runtime.js";
import { tagValue } from "./naming.js";

/** CloudWatch Logs accepts only these retention periods (days). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** The defaults, also declared in Pulumi.yaml's `config:` (a test keeps the two equal). */
export const DEFAULTS = {
  runtime: DEFAULT_LAMBDA_RUNTIME as LambdaRuntime,
  memoryMb: MEMORY_MB.default as number,
  timeoutS: TIMEOUT_S.default as number,
  logRetentionDays: 7,
  authType: "NONE" as AuthType,
};

export interface StackSettings {
  runtime: LambdaRuntime;
  memoryMb: number;
  timeoutS: number;
  logRetentionDays: number;
  authType: AuthType;
  /** Set on every role when the bootstrap's deploy role requires it (in CI always). */
  permissionsBoundaryArn: string | undefined;
  tags: Record<string, string>;
  /** The branch this stack deploys, exactly as git names it (tags may only hold a cleaned copy). */
  branch: string;
}

/** A row's own overrides, validated like the stack's settings they replace. */
export function functionSettings(
  spec: FunctionSpec,
  settings: StackSettings,
): { authType: AuthType; memoryMb: number; timeoutS: number } {
  const authType = spec.authType ?? settings.authType;
  const memoryMb = spec.memoryMb ?? settings.memoryMb;
  const timeoutS = spec.timeoutS ?? settings.timeoutS;
  const where = `function ${JSON.stringify(spec.name)}`;
  if (!AUTH_TYPES.includes(authType))
    throw new Error(`${where}: authType ${JSON.stringify(authType)} is not NONE or AWS_IAM`);
  if (!Number.isInteger(memoryMb) || memoryMb < MEMORY_MB.min || memoryMb > MEMORY_MB.max)
    throw new Error(`${where}: memoryMb ${memoryMb} is not ${MEMORY_MB.min} to ${MEMORY_MB.max}`);
  if (!Number.isInteger(timeoutS) || timeoutS < TIMEOUT_S.min || timeoutS > TIMEOUT_S.max)
    throw new Error(`${where}: timeoutS ${timeoutS} is not ${TIMEOUT_S.min} to ${TIMEOUT_S.max}`);
  const needed = minTimeoutFor(spec);
  if (timeoutS < needed)
    throw new Error(
      `${where}: timeoutS ${timeoutS} is shorter than its paced lines take (${needed - 5} s at interval.ms ${spec.interval?.ms}) plus 5 s: set timeoutS to ${needed} or more in its row`,
    );
  return { authType, memoryMb, timeoutS };
}

/**
 * The shortest timeout for a row: its paced lines (one interval each, the last followed by one
 * more) plus 5 s for a cold start; 1 s for a row that states none.
 */
export function minTimeoutFor(spec: FunctionSpec): number {
  const lines = spec.check?.expect?.lines;
  if (lines?.arrive !== "paced" || !spec.interval) return TIMEOUT_S.min;
  return Math.ceil((lines.text.length * spec.interval.ms) / 1000) + 5;
}

function invalid(key: string, value: unknown, allowed: string): never {
  throw new Error(
    `config ${key}=${JSON.stringify(value)} is invalid: ${allowed} (pulumi config set ${key} <value>)`,
  );
}

/**
 * Reads and validates the stack's configuration; a bad value stops `pulumi preview`
 * before anything is created, with the key and what it accepts.
 */
export function readSettings(
  config: pulumi.Config,
  stack: string,
  env: NodeJS.ProcessEnv = process.env,
): StackSettings {
  const runtime = (config.get("runtime") ?? DEFAULTS.runtime) as LambdaRuntime;
  if (!LAMBDA_RUNTIMES.includes(runtime)) invalid("runtime", runtime, `one of ${LAMBDA_RUNTIMES.join(", ")}`);
  const memoryMb = config.getNumber("memoryMb") ?? DEFAULTS.memoryMb;
  if (!Number.isInteger(memoryMb) || memoryMb < MEMORY_MB.min || memoryMb > MEMORY_MB.max)
    invalid("memoryMb", memoryMb, `${MEMORY_MB.min} to ${MEMORY_MB.max}`);
  const timeoutS = config.getNumber("timeoutS") ?? DEFAULTS.timeoutS;
  if (!Number.isInteger(timeoutS) || timeoutS < TIMEOUT_S.min || timeoutS > TIMEOUT_S.max)
    invalid("timeoutS", timeoutS, `${TIMEOUT_S.min} to ${TIMEOUT_S.max} seconds`);
  const logRetentionDays = config.getNumber("logRetentionDays") ?? DEFAULTS.logRetentionDays;
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(logRetentionDays)) {
    invalid("logRetentionDays", logRetentionDays, `one of ${LOG_RETENTION_DAYS.join(", ")}`);
  }
  const authType = (config.get("authType") ?? DEFAULTS.authType) as AuthType;
  if (!AUTH_TYPES.includes(authType)) invalid("authType", authType, "NONE or AWS_IAM");

  // Workflows set these from GitHub's context; a laptop deploy gets recognisable defaults.
  const ephemeral =
    config.getBoolean("ephemeral") ??
    (env.STACK_EPHEMERAL ? env.STACK_EPHEMERAL === "true" : stack !== PROTECTED_STACK);
  const branch = config.get("branch") ?? env.STACK_BRANCH ?? "local";
  const tags = {
    stack,
    branch,
    repository: config.get("repository") ?? env.GITHUB_REPOSITORY ?? "local",
    // On pull_request GITHUB_SHA is a fresh test merge commit per run; the workflows pass the
    // pushed head as STACK_COMMIT, so an unchanged branch previews with no tag diff.
    commit: config.get("commit") ?? (env.STACK_COMMIT || env.GITHUB_SHA || "local"),
    ephemeral: String(ephemeral),
  };
  const permissionsBoundaryArn =
    config.get("permissionsBoundaryArn") ?? (env.PERMISSIONS_BOUNDARY_ARN || undefined);
  if (
    permissionsBoundaryArn !== undefined &&
    !/^arn:aws[\w-]*:iam::\d{12}:policy\/.+/.test(permissionsBoundaryArn)
  ) {
    invalid("permissionsBoundaryArn", permissionsBoundaryArn, "an IAM policy ARN (the bootstrap prints it)");
  }
  return {
    runtime,
    memoryMb,
    permissionsBoundaryArn,
    timeoutS,
    logRetentionDays,
    authType,
    tags: Object.fromEntries(Object.entries(tags).map(([key, value]) => [key, tagValue(value)])),
    branch,
  };
}
