import { type ParseArgsConfig, parseArgs } from "node:util";

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig["options"]>;

/**
 * Exit codes: 0 done; 1 the thing checked failed (a stream assertion, a janitor run with
 * failures); 2 you called it wrong; 3 an expected operational failure (a refused or failed
 * teardown, a backend or API that said no); 70 a bug (sysexits' EX_SOFTWARE), with its stack.
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, operational: 3, bug: 70 } as const;

/** A mistake in how a command was called: one line, exit 2. */
export class UsageError extends Error {
  override name = "UsageError";
  readonly exitCode = EXIT.usage;
}

/** An expected failure of the operation itself (not of how it was called): one line, exit 3. */
export class OperationalError extends Error {
  override name = "OperationalError";
  readonly exitCode = EXIT.operational;
}

/** `--help` or `-h` was asked for: runMain prints the usage and exits 0. */
export class HelpRequested extends Error {
  override name = "HelpRequested";
}

/**
 * `--port -1`: node's parser takes `-1` for an option and calls the value ambiguous. A
 * negative number after a flag that takes a value is that flag's value, so it gets the
 * flag's own range message.
 */
function negativeValues(args: readonly string[], options: ParseArgsOptionsConfig): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const next = args[i + 1];
    const name = arg.startsWith("--") ? arg.slice(2) : undefined;
    if (name && options[name]?.type === "string" && next !== undefined && /^-\d/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

function helpAsked(args: readonly string[], usage: string): void {
  const own = args.indexOf("--") === -1 ? args : args.slice(0, args.indexOf("--"));
  if (own.includes("--help") || own.includes("-h")) throw new HelpRequested(usage);
}

/**
 * Runs a CLI main: a UsageError or an OperationalError prints `command: message` on one
 * line and exits with its code; anything else is a bug: its stack, exit 70. `main`
 * returns the exit code.
 */
export async function runMain(command: string, main: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await main();
  } catch (error) {
    if (error instanceof HelpRequested) {
      process.stdout.write(`${error.message}\n`);
      process.exitCode = EXIT.ok;
      return;
    }
    if (error instanceof UsageError || error instanceof OperationalError) {
      process.stderr.write(`${command}: ${error.message.split("\n")[0]}\n`);
      const rest = error.message.split("\n").slice(1).join("\n");
      if (rest) process.stderr.write(`${rest}\n`);
      process.exitCode = error.exitCode;
      return;
    }
    process.stderr.write(
      `${command}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = EXIT.bug;
  }
}

/** `node:util` parseArgs (strict, no positionals) with its errors turned into UsageErrors. */
export function parseFlags<const T extends ParseArgsOptionsConfig>(
  args: string[],
  options: T,
  usage: string,
) {
  helpAsked(args, usage);
  try {
    return parseArgs({ args: negativeValues(args, options), options, strict: true, allowPositionals: false })
      .values;
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split("\n")[0]} (see --help)`);
  }
}

/** parseFlags for commands that also take positional arguments. */
export function parseFlagsWithPositionals<const T extends ParseArgsOptionsConfig>(
  args: string[],
  options: T,
  usage: string,
) {
  helpAsked(args, usage);
  try {
    return parseArgs({ args: negativeValues(args, options), options, strict: true, allowPositionals: true });
  } catch (error) {
    // Node adds advice on `--` for positionals that start with a dash: the cause is the option.
    const message = (error as Error).message.split("\n")[0]?.replace(/^(Unknown option '[^']*')\..*$/, "$1");
    throw new UsageError(`${message} (see --help)`);
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
