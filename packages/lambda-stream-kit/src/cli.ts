import type { ParseArgsConfig, parseArgs } from "node:util";
import { Command, Option } from "commander";

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

/** One flag: its type as node's parseArgs describes it, and a line for `--help` (say the range). */
type FlagSpec = ParseArgsOptionsConfig[string] & { description?: string };
type Flags = Record<string, FlagSpec>;
type Values<T extends ParseArgsOptionsConfig> = ReturnType<
  typeof parseArgs<{ args: string[]; options: T; strict: true; allowPositionals: true }>
>["values"];

/**
 * Every command's flags through one parser, commander: generated help with each option's
 * description and default, unknown options and stray arguments refused, a negative number
 * taken as the value it is (`--port -1` then gets the flag's own range message). Each
 * failure is one line plus "see --help", exit 2, before any work.
 */
function parseWithCommander(
  args: string[],
  options: Flags,
  usage: string,
  positionals: boolean,
): { values: Record<string, unknown>; positionals: string[] } {
  let printed = "";
  const program = new Command()
    .exitOverride()
    .configureOutput({ writeOut: (text) => (printed += text), writeErr: () => {}, outputError: () => {} })
    .helpOption("-h, --help", "show this help and exit")
    .allowUnknownOption(false)
    .allowExcessArguments(positionals);
  const keys = new Map<string, string>();
  for (const [key, spec] of Object.entries(options)) {
    if (key === "help") continue; // commander's own
    const flags = `${spec.short ? `-${spec.short}, ` : ""}--${key}${spec.type === "string" ? " <value>" : ""}`;
    const option = new Option(flags, spec.description ?? "");
    if (spec.type === "string" && spec.multiple) {
      option.argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
      option.default(spec.default ?? []);
    } else if (spec.default !== undefined && !(spec.type === "boolean" && spec.default === false)) {
      option.default(spec.default);
    }
    program.addOption(option);
    keys.set(option.attributeName(), key);
  }
  try {
    program.parse(args, { from: "user" });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "commander.helpDisplayed" || code === "commander.help") {
      const options = printed.slice(printed.indexOf("Options:"));
      throw new HelpRequested(`${usage}\n\n${options.trimEnd()}`);
    }
    // One line: commander puts its "(Did you mean --x?)" hint on a line of its own.
    const message = (error as Error).message.replace(/^error: /, "").replace(/\s*\n\s*/g, " ");
    throw new UsageError(`${message.charAt(0).toUpperCase()}${message.slice(1)} (see --help)`);
  }
  const values: Record<string, unknown> = {};
  for (const [attribute, value] of Object.entries(program.opts())) {
    const key = keys.get(attribute) ?? attribute;
    // commander reads `--no-x` as "x is false"; the flag is named no-x here.
    if (key.startsWith("no-") && attribute === key.slice(3)) values[key] = value === false;
    else values[key] = value;
  }
  for (const [key, spec] of Object.entries(options)) {
    if (key !== "help" && values[key] === undefined && spec.type === "boolean")
      values[key] = spec.default ?? false;
  }
  return { values, positionals: program.args };
}

/** A command's flags (no positional arguments), typed from their descriptions. */
export function parseFlags<const T extends ParseArgsOptionsConfig>(
  args: string[],
  options: T,
  usage: string,
) {
  return parseWithCommander(args, options as Flags, usage, false).values as Values<T>;
}

/** parseFlags for commands that also take positional arguments. */
export function parseFlagsWithPositionals<const T extends ParseArgsOptionsConfig>(
  args: string[],
  options: T,
  usage: string,
) {
  const parsed = parseWithCommander(args, options as Flags, usage, true);
  return { values: parsed.values as Values<T>, positionals: parsed.positionals };
}

/** A whole-number flag value within [min, max], or a UsageError naming the flag. */
export function integer(flag: string, raw: string, min: number, max: number): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new UsageError(`--${flag} ${JSON.stringify(raw)}: expected a whole number from ${min} to ${max}`);
  }
  return value;
}
