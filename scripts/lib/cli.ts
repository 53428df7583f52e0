import { type ParseArgsConfig, parseArgs } from "node:util";

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig["options"]>;

/** A mistake in how a command was called: the CLI prints its message alone and exits 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/**
 * Runs a CLI main: a UsageError prints one line and exits 2; anything else unexpected
 * prints its stack and exits 1. `main` returns the exit code.
 */
export async function runMain(command: string, main: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await main();
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${command}: ${error.message}\n`);
      process.exitCode = EXIT.usage;
      return;
    }
    process.stderr.write(
      `${command}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = EXIT.failed;
  }
}

/** `node:util` parseArgs (strict, no positionals) with its errors turned into UsageErrors. */
export function parseFlags<const T extends ParseArgsOptionsConfig>(
  args: string[],
  options: T,
  usage: string,
) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${usage}`);
  }
}

/** parseFlags for commands that also take positional arguments. */
export function parseFlagsWithPositionals<const T extends ParseArgsOptionsConfig>(
  args: string[],
  options: T,
  usage: string,
) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${usage}`);
  }
}

/** A whole-number flag value within [min, max], or a UsageError naming the flag. */
export function integer(flag: string, raw: string, min: number, max: number): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new UsageError(`--${flag} ${JSON.stringify(raw)}: expected a whole number from ${min} to ${max}`);
  }
  return value;
}
