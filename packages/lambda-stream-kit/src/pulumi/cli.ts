import { $ } from "zx/core";

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the Pulumi CLI; tests put a stand-in `pulumi` first on PATH. */
export type PulumiRunner = (args: string[]) => Promise<CommandResult>;

export function pulumiRunner(cwd: string, env: NodeJS.ProcessEnv = process.env): PulumiRunner {
  return async (args) => {
    const result = await $({ cwd, env, nothrow: true, quiet: true, verbose: false })`pulumi ${args}`;
    return { code: result.exitCode ?? 1, stdout: result.stdout, stderr: result.stderr };
  };
}

/** One entry of `pulumi stack ls --json`. */
export interface StackInfo {
  name: string;
  lastUpdate?: string;
  updateInProgress?: boolean;
  resourceCount?: number;
  url?: string;
}

export class PulumiError extends Error {
  constructor(
    message: string,
    readonly result: CommandResult,
  ) {
    super(message);
    this.name = "PulumiError";
  }
}

const firstError = (result: CommandResult) =>
  (result.stderr || result.stdout)
    .split("\n")
    .find((line) => /error/i.test(line))
    ?.trim() ?? `exit ${result.code}`;

export function isMissingStack(result: CommandResult): boolean {
  return /no stack named '[^']*' found/.test(result.stderr + result.stdout);
}

export async function listStacks(pulumi: PulumiRunner): Promise<StackInfo[]> {
  const result = await pulumi(["stack", "ls", "--json"]);
  if (result.code !== 0) {
    throw new PulumiError(
      `pulumi stack ls failed (${firstError(result)}): is the CLI logged in to the backend?`,
      result,
    );
  }
  return JSON.parse(result.stdout || "[]") as StackInfo[];
}

/** One stack's outputs (`pulumi stack output --json`), read from that stack alone. */
export async function stackOutputs(pulumi: PulumiRunner, stack: string): Promise<Record<string, unknown>> {
  const result = await pulumi(["stack", "output", "--json", "--stack", stack]);
  if (result.code !== 0) {
    throw new PulumiError(`pulumi stack output of ${stack} failed (${firstError(result)})`, result);
  }
  return JSON.parse(result.stdout || "{}") as Record<string, unknown>;
}

export { firstError };
