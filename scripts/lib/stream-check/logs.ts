import type { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { costLine, describeCost, parseReport, type Report } from "./cost.js";
import type { Architecture } from "./prices.js";

/** A function's log group, as Lambda names it. */
export const logGroupOf = (functionName: string) => `/aws/lambda/${functionName}`;

export interface ReportFetch {
  /** ms since the epoch: the check's start (its invocations' REPORT lines come after). */
  sinceMs: number;
  /** Stop waiting once this many REPORT lines are in. */
  expected: number;
  /** Lambda's logs lag by seconds: poll this long at most, then take what there is. */
  timeoutMs: number;
  intervalMs?: number;
}

/**
 * The REPORT lines a function logged since the check began, through CloudWatch Logs'
 * FilterLogEvents (the same call locally, against the emulator's Logs API, and on AWS). Polls
 * until `expected` are in or the time is up; a failure (no permission, no log group yet) is
 * returned as a reason, never thrown: a missing cost line must not change a check's verdict.
 */
export async function fetchReports(
  client: CloudWatchLogsClient,
  logGroupName: string,
  options: ReportFetch,
): Promise<{ reports: Report[]; error?: string }> {
  const { FilterLogEventsCommand } = await import("@aws-sdk/client-cloudwatch-logs");
  const deadline = performance.now() + options.timeoutMs;
  let error: string | undefined;
  for (;;) {
    const reports = new Map<string, Report>();
    try {
      let nextToken: string | undefined;
      do {
        const page = await client.send(
          new FilterLogEventsCommand({
            logGroupName,
            startTime: options.sinceMs,
            filterPattern: '"REPORT RequestId"',
            ...(nextToken ? { nextToken } : {}),
          }),
        );
        for (const event of page.events ?? []) {
          const report = parseReport(event.message ?? "");
          if (report) reports.set(report.requestId, report);
        }
        nextToken = page.nextToken;
      } while (nextToken);
      error = undefined;
    } catch (caught) {
      const e = caught as Error;
      error = `${e.name}: ${e.message}`;
      // Only a log group that is not there yet is worth waiting for.
      if (e.name !== "ResourceNotFoundException") return { reports: [], error };
    }
    if (reports.size >= options.expected || performance.now() + (options.intervalMs ?? 1000) > deadline) {
      return { reports: [...reports.values()], ...(error ? { error } : {}) };
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 1000));
  }
}

export interface CostRow {
  /** The row's label in reports. */
  label: string;
  functionName: string;
  /** Bytes the check read from it (AWS's REPORT line has none). */
  streamedBytes: number;
  /** How many invocations the check made of it. */
  invocations: number;
}

/**
 * One cost line per row, from the REPORT lines of the check's own invocations: median billed
 * duration, max memory used against memory size, and what 1,000 such requests cost. A row
 * whose lines could not be fetched says why instead.
 */
export async function costLines(
  client: CloudWatchLogsClient,
  rows: readonly CostRow[],
  options: { sinceMs: number; architecture: Architecture; timeoutMs: number; intervalMs?: number },
): Promise<string[]> {
  return Promise.all(
    rows.map(async (row) => {
      const { reports, error } = await fetchReports(client, logGroupOf(row.functionName), {
        sinceMs: options.sinceMs,
        expected: row.invocations,
        timeoutMs: options.timeoutMs,
        ...(options.intervalMs !== undefined ? { intervalMs: options.intervalMs } : {}),
      });
      const line = costLine(reports, options.architecture, row.streamedBytes);
      if (!line) return `${row.label}: no cost line (${error ?? "no REPORT line in its log group yet"})`;
      return `${row.label}: ${describeCost(line, options.architecture)}`;
    }),
  );
}
