import { UsageError } from "./cli.js";
import type { FunctionSpec } from "./functions.js";

/**
 * The stack's outputs as the workflows pass them to the scripts: JSON objects keyed by row
 * (`urls`, `functionNames`, `authTypes`), e.g. `--urls-json "$URLS"`. One reader, so the
 * check and the PR comment refuse a malformed one in the same words.
 */
export interface OutputSource {
  /** The stack output's name, e.g. urls. */
  output: string;
  /** What the object maps, e.g. "function name to URL". */
  what: string;
  example: string;
  nonEmpty?: boolean;
}

/** A stack output given as a flag's JSON value: an object, or a usage error naming the output. */
export function outputObject(flag: string, raw: string, source: OutputSource): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new UsageError(
      `--${flag} is not JSON: pass the stack's ${source.output} output, e.g. '${source.example}'`,
    );
  }
  if (
    !value ||
    typeof value !== "object" ||
    Array.isArray(value) ||
    (source.nonEmpty && Object.keys(value).length === 0)
  )
    throw new UsageError(`--${flag} must be an object of ${source.what}, e.g. '${source.example}'`);
  return value as Record<string, unknown>;
}

/** The same, each key a row of the function table. */
export function rowsOf(
  flag: string,
  raw: string,
  source: OutputSource,
  functions: readonly FunctionSpec[],
): { spec: FunctionSpec; value: unknown }[] {
  return Object.entries(outputObject(flag, raw, source)).map(([name, entry]) => ({
    spec: rowNamed(flag, name, functions),
    value: entry,
  }));
}

/** The row a flag names, or a usage error listing the rows there are. */
export function rowNamed(flag: string, name: string, functions: readonly FunctionSpec[]): FunctionSpec {
  const spec = functions.find((fn) => fn.name === name);
  if (!spec)
    throw new UsageError(
      `--${flag} names ${JSON.stringify(name)}, which is not a row of the function table (${functions.map((f) => f.name).join(", ")})`,
    );
  return spec;
}
