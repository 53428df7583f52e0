// One end-to-end run of every row: each served by the emulator behind its own local Function URL,
// each read by the stream check with its row's expectations. Composes the emulator and the check
// (as start.ts does), so a project's `npm test` proves what `npm start` and CI's check prove.

import { type RunningFunction, serveFunction } from "../emulator/emulator.js";
import type { RuntimeClientName } from "../emulator/runtime-clients.js";
import { type FunctionSpec, rowEnvironment, validateFunctions, withInterval } from "../functions.js";
import { type CheckResult, doorTargetsFor } from "../stream-check/check.js";
import { verdictText } from "../stream-check/report.js";
import { checkByDoor, DEFAULT_CHECK_OPTIONS } from "../stream-check/run.js";

/**
 * A test pace: lines this far apart do not merge on a busy 2-core machine. 250 ms: beside other
 * suites, a reader stalled 80 ms behind one line at 150 ms and that gap fell out of its tolerance.
 */
export const TEST_INTERVAL_MS = 250;

export interface CheckEveryRowOptions {
  /** Every row with an interval runs at this pace (default TEST_INTERVAL_MS). */
  intervalMs?: number;
  /** The runtime client (default: AWS's own where it loads, else the built-in one). */
  runtime?: RuntimeClientName;
  /** Allowed error per gap (default: half the interval). */
  toleranceMs?: number;
}

export interface EveryRowResult {
  results: CheckResult[];
  passed: boolean;
  /** The check's verdict, as `npm start -- --once` prints it: put it in the assertion's message. */
  report: string;
}

/** Serves every row, checks each by its expectations, stops everything; never throws on a failed check. */
export async function checkEveryRow(
  table: readonly FunctionSpec[],
  options: CheckEveryRowOptions = {},
): Promise<EveryRowResult> {
  validateFunctions(table);
  const intervalMs = options.intervalMs ?? TEST_INTERVAL_MS;
  const functions = table.map((spec) => withInterval(spec, intervalMs));
  const served: RunningFunction[] = [];
  try {
    for (const spec of functions) {
      served.push(
        await serveFunction({
          function: spec,
          invokeMode: spec.invokeMode,
          port: 0,
          ...(spec.memoryMb ? { memoryMb: spec.memoryMb } : {}),
          ...(spec.timeoutS ? { timeoutS: spec.timeoutS } : {}),
          ...(options.runtime ? { runtime: options.runtime } : {}),
          env: rowEnvironment(spec),
          log: () => {},
        }),
      );
    }
    // Each row's Function URL, and its REST API door when it has one.
    const targets = served.flatMap((fn, index) => doorTargetsFor(functions[index] as FunctionSpec, fn));
    const results = await checkByDoor(targets, {
      ...DEFAULT_CHECK_OPTIONS,
      intervalMs,
      toleranceMs: options.toleranceMs ?? Math.round(intervalMs / 2),
      waitS: 10,
    });
    return { results, passed: results.every((r) => r.passed), report: verdictText(results) };
  } finally {
    await Promise.all(served.map((fn) => fn.close()));
  }
}
