import type { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { lambdaLogGroup } from "../contract.js";
import { redact } from "../redact.js";
import { costLine, describeCost, parseReport, type Report } from "./cost.js";
import type { Architecture } from "./prices.js";

/** A function's log group, as Lambda names it. */
export const logGroupOf = lambdaLogGroup;

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
 * Every message FilterLogEvents finds (all pages), polled until `done` holds or the time is up:
 * Lambda's logs lag by seconds. A failure (no permission, no log group yet) comes back as a
 * reason, never thrown: a log fetch must not change a check's verdict. Only a log group that
 * does not exist yet is worth waiting for.
 */
async function pollMessages(
  client: CloudWatchLogsClient,
  request: { logGroupName: string; filterPattern: string; startTime?: number },
  done: (messages: string[]) => boolean,
  options: { timeoutMs: number; intervalMs?: number },
): Promise<{ messages: string[]; done: boolean; error?: string }> {
  const { FilterLogEventsCommand } = await import("@aws-sdk/client-cloudwatch-logs");
  const deadline = performance.now() + options.timeoutMs;
  const interval = options.intervalMs ?? 1000;
  for (;;) {
    let messages: string[] = [];
    let error: string | undefined;
    try {
      let nextToken: string | undefined;
      do {
        const page = await client.send(
          new FilterLogEventsCommand({ ...request, ...(nextToken ? { nextToken } : {}) }),
        );
        messages = messages.concat((page.events ?? []).map((event) => event.message ?? ""));
        nextToken = page.nextToken;
      } while (nextToken);
    } catch (caught) {
      const e = caught as Error;
      error = `${e.name}: ${e.message}`;
      if (e.name !== "ResourceNotFoundException") return { messages: [], done: false, error };
    }
    const finished = done(messages);
    if (finished || performance.now() + interval > deadline) {
      return { messages, done: finished, ...(error ? { error } : {}) };
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

/** The REPORT lines a function logged since the check began, until `expected` are in. */
export async function fetchReports(
  client: CloudWatchLogsClient,
  logGroupName: string,
  options: ReportFetch,
): Promise<{ reports: Report[]; error?: string }> {
  const reportsOf = (messages: string[]) =>
    new Map(
      messages.flatMap((message) => {
        const report = parseReport(message);
        return report ? [[report.requestId, report] as const] : [];
      }),
    );
  const found = await pollMessages(
    client,
    { logGroupName, startTime: options.sinceMs, filterPattern: '"REPORT RequestId"' },
    (messages) => reportsOf(messages).size >= options.expected,
    options,
  );
  return { reports: [...reportsOf(found.messages).values()], ...(found.error ? { error: found.error } : {}) };
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
  options: {
    sinceMs: number;
    architecture: Architecture;
    timeoutMs: number;
    intervalMs?: number;
    /** The base branch's dollars per 1,000 by row (its last check's record), shown beside. */
    base?: Record<string, number>;
  },
): Promise<{ text: string; label: string; usdPer1000?: number }[]> {
  return Promise.all(
    rows.map(async (row) => {
      const { reports, error } = await fetchReports(client, logGroupOf(row.functionName), {
        sinceMs: options.sinceMs,
        expected: row.invocations,
        timeoutMs: options.timeoutMs,
        ...(options.intervalMs !== undefined ? { intervalMs: options.intervalMs } : {}),
      });
      const line = costLine(reports, options.architecture, row.streamedBytes);
      if (!line)
        return {
          label: row.label,
          text: `${row.label}: no cost line (${error ?? "no REPORT line in its log group yet"})`,
        };
      const base = options.base?.[row.label];
      const beside =
        base === undefined
          ? ""
          : `; base branch $${base.toFixed(4)} (${signedPercent(line.usdPer1000, base)})`;
      return {
        label: row.label,
        text: `${row.label}: ${describeCost(line, options.architecture)}${beside}`,
        usdPer1000: line.usdPer1000,
      };
    }),
  );
}

/** "+12 %", "-3 %", "same" (two figures' relative change). */
export function signedPercent(now: number, base: number): string {
  if (base === 0) return now === 0 ? "same" : "new";
  const change = Math.round(((now - base) / base) * 100);
  return change === 0 ? "same" : `${change > 0 ? "+" : ""}${change} %`;
}

/** Where a check reads its functions' logs: the stack's functionNames, and the client to use. */
export interface LogSource {
  /** Row name to the deployed function's name (the stack's functionNames output). */
  functionNames: Record<string, string>;
  region: string;
  /** Another endpoint (the emulator's Logs API); default: AWS's, with the environment's credentials. */
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  architecture: Architecture;
  /** How long to wait for lagging log lines. */
  timeoutMs: number;
  /** The base branch's dollars per 1,000 requests by row, to show beside this check's. */
  base?: Record<string, number>;
  intervalMs?: number;
}

/** One failing request's own log lines, redacted, for the report. */
export interface RequestLogs {
  label: string;
  logGroup: string;
  requestId: string;
  lines: string[];
  /** Why there are no lines, or fewer than the whole invocation. */
  note?: string;
  consoleUrl: string;
}

export interface LogExtras {
  costs: string[];
  /** Dollars per 1,000 requests by row (what a production check records for later PRs). */
  usdPer1000: Record<string, number>;
  logs: RequestLogs[];
}

/** The last lines of a failing request are enough to see why; a comment has 65,536 characters. */
export const MAX_LOG_LINES = 40;
const MAX_LINE_CHARS = 400;
/** All requests' lines together: the rest of the comment (preview, chart, tables) needs room too. */
export const MAX_LOG_CHARS = 24_000;

/** Keeps the requests' lines within MAX_LOG_CHARS, the first failures first; later ones say so. */
export function withinBudget(all: RequestLogs[], budget = MAX_LOG_CHARS): RequestLogs[] {
  let left = budget;
  return all.map((logs) => {
    const size = logs.lines.reduce((sum, line) => sum + line.length + 1, 0);
    if (size <= left) {
      left -= size;
      return logs;
    }
    return {
      ...logs,
      lines: [],
      note: `${logs.lines.length} lines left out: the comment has no room for them (see the log group)`,
    };
  });
}

/** CloudWatch's console page of a log group (its "Log groups" view). */
export function consoleUrl(region: string, logGroup: string): string {
  const encoded = encodeURIComponent(encodeURIComponent(logGroup)).replace(/%/g, "$");
  return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#logsV2:log-groups/log-group/${encoded}`;
}

/**
 * One invocation's lines: START, END, REPORT and every line between that carries its request
 * id, in the text and the JSON log formats alike (both carry the id). Polls until its REPORT
 * line is in or the time is up.
 */
export async function invocationLines(
  client: CloudWatchLogsClient,
  logGroupName: string,
  requestId: string,
  options: { timeoutMs: number; intervalMs?: number },
): Promise<{ lines: string[]; complete: boolean; error?: string }> {
  const found = await pollMessages(
    client,
    { logGroupName, filterPattern: `"${requestId}"` },
    (messages) => messages.some((line) => line.startsWith(`REPORT RequestId: ${requestId}`)),
    options,
  );
  return { lines: found.messages, complete: found.done, ...(found.error ? { error: found.error } : {}) };
}

/** The row a result belongs to: `stream·sdk` and `stream·browser` are the stream row's. */
const rowOf = (label: string) => label.split("·")[0] ?? label;

/**
 * What the check adds from the functions' own logs: a cost line per row, and the log lines
 * of every failing request it can name. Nothing here changes a verdict: a fetch that fails
 * says why in one line.
 */
export async function logExtras(
  results: readonly {
    target: { label: string };
    passed: boolean;
    final: { bytesReceived: number; curl: { requestId?: string } };
    attempts: readonly unknown[];
  }[],
  source: LogSource,
  sinceMs: number,
): Promise<LogExtras> {
  const { CloudWatchLogsClient } = await import("@aws-sdk/client-cloudwatch-logs");
  const client = new CloudWatchLogsClient({
    region: source.region,
    ...(source.endpoint ? { endpoint: source.endpoint } : {}),
    ...(source.credentials ? { credentials: source.credentials } : {}),
  });
  try {
    const rows = [...new Set(results.map((r) => rowOf(r.target.label)))].filter(
      (row) => source.functionNames[row],
    );
    const costRows: CostRow[] = rows.map((row) => {
      const own = results.filter((r) => rowOf(r.target.label) === row);
      return {
        label: row,
        functionName: source.functionNames[row] as string,
        streamedBytes: Math.max(0, ...own.map((r) => r.final.bytesReceived)),
        invocations: own.reduce((sum, r) => sum + Math.max(1, r.attempts.length), 0),
      };
    });
    const timing = {
      timeoutMs: source.timeoutMs,
      ...(source.intervalMs !== undefined ? { intervalMs: source.intervalMs } : {}),
    };
    const [costs, logs] = await Promise.all([
      costLines(client, costRows, {
        sinceMs,
        architecture: source.architecture,
        ...timing,
        ...(source.base ? { base: source.base } : {}),
      }),
      Promise.all(
        results
          .filter((r) => !r.passed && source.functionNames[rowOf(r.target.label)])
          .map(async (r): Promise<RequestLogs> => {
            const logGroup = logGroupOf(source.functionNames[rowOf(r.target.label)] as string);
            const requestId = r.final.curl.requestId;
            const base = {
              label: r.target.label,
              logGroup,
              requestId: requestId ?? "",
              consoleUrl: consoleUrl(source.region, logGroup),
            };
            if (!requestId)
              return {
                ...base,
                lines: [],
                note: "the answer carried no request id, so its lines cannot be told apart",
              };
            const found = await invocationLines(client, logGroup, requestId, timing);
            const lines = found.lines.slice(-MAX_LOG_LINES).map((line) => {
              const clean = redact(line.replace(/\s+$/, ""));
              return clean.length > MAX_LINE_CHARS ? `${clean.slice(0, MAX_LINE_CHARS - 1)}…` : clean;
            });
            const note = found.error
              ? `the log fetch failed (${found.error})`
              : !found.complete
                ? `its REPORT line was not in after ${Math.round(source.timeoutMs / 1000)} s (Lambda's logs lag): these are the lines so far`
                : found.lines.length > MAX_LOG_LINES
                  ? `the last ${MAX_LOG_LINES} of ${found.lines.length} lines`
                  : undefined;
            return { ...base, lines, ...(note ? { note } : {}) };
          }),
      ),
    ]);
    return {
      costs: costs.map((cost) => cost.text),
      usdPer1000: Object.fromEntries(
        costs.flatMap((cost) => (cost.usdPer1000 === undefined ? [] : [[cost.label, cost.usdPer1000]])),
      ),
      logs: withinBudget(logs),
    };
  } finally {
    client.destroy();
  }
}
