import { accessSync, constants, existsSync, statSync } from "node:fs";
import { appendFile, mkdir, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { integer, parseFlags, UsageError } from "../cli.js";
import { AUTH_TYPES, type AuthType, INTERVAL_MS } from "../contract.js";
import { type FunctionSpec, functionNamed } from "../functions.js";
import { LAMBDA_ARCHITECTURE } from "../runtime.js";
import { rowNamed, rowsOf } from "../stack-outputs.js";
import {
  type CheckOptions,
  type CheckResult,
  type CheckTarget,
  checkUrl,
  exitCodeFor,
  invokeTargetFor,
  restApiTargetFor,
  targetFor,
} from "./check.js";
import { describeExpectations, resolveExpectations } from "./evaluate.js";
import { prepareInvoke } from "./invoke.js";
import { type LogSource, logExtras } from "./logs.js";
import { progressLine, toJson, toMarkdown, useColour, verdictText } from "./report.js";

export const CHECK_USAGE = `usage: lambda-stream-check --urls-json '{"<function>":"<url>",...}' (the stack's urls output) [--rest-urls-json '{"<function>":"<url>",...}']
       | --url <url> [--function <name>]
       [--interval-ms N (tests: every row's interval)] [--tolerance-ms 300] [--max-ttfb-ms 3000] [--buffered-window-ms 100]
       [--wait-s 60] [--timeout-s N] [--json <file>] [--markdown <file>] [--sigv4 <region>] [--auth-type NONE|AWS_IAM]
       [--invoke <row> | --invoke-json '{"<row>":"<function name>",...}' (the stack's functionNames output)] [--region <region>]
       [--browser [--browser-path <chrome>]] [--logs [--base-costs-json '{"<row>":<usd per 1,000>}']]
  --invoke and --invoke-json also read the functions through the AWS SDK's InvokeWithResponseStream
  (credentials and AWS_ENDPOINT_URL_LAMBDA from the environment), alone or beside the URLs.
exit codes: 0 passed, 1 the stream failed an assertion, 2 usage error or the URL never answered`;

/** The defaults of the CLI flags, shared with `npm start`. */
export const DEFAULT_CHECK_OPTIONS: CheckOptions = {
  intervalMs: INTERVAL_MS.default,
  toleranceMs: 300,
  maxTtfbMs: 3000,
  bufferedWindowMs: 100,
  waitS: 60,
};

export interface CheckRun {
  targets: CheckTarget[];
  /** Doors left out, each with why (said before the check starts). */
  skipped?: string[];
  options: CheckOptions;
  /** Also read every URL in a real Chrome/Chromium (`--browser`, or BROWSER_CHECK=true). */
  browser?: { path?: string };
  jsonFile?: string;
  markdownFile?: string;
  /** Read the functions' logs: each failing request's lines, and a cost line per row. */
  logs?: LogSource;
}

function httpUrl(flag: string, raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(
      `--${flag} ${JSON.stringify(raw)} is not a URL (expected https://….lambda-url.<region>.on.aws/)`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UsageError(`--${flag} ${raw}: only http and https URLs can be checked, not ${url.protocol}`);
  }
  return url.href;
}

/** An AWS region as a flag's value, e.g. us-east-1. */
function awsRegion(flag: string, region: string): string {
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region))
    throw new UsageError(`--${flag} ${JSON.stringify(region)}: expected an AWS region such as us-east-1`);
  return region;
}

/** Which URLs to check, each with its row's request and expectations. */
function checkTargets(
  v: {
    url?: string;
    function?: string;
    "urls-json"?: string;
    invoke?: string;
    "invoke-json"?: string;
  },
  functions: readonly FunctionSpec[],
): CheckTarget[] {
  if (v["urls-json"] !== undefined) {
    if (v.url || v.function)
      throw new UsageError("use either --urls-json or --url (with --function), not both");
    const urls = rowsOf(
      "urls-json",
      v["urls-json"],
      { output: "urls", what: "function name to URL", example: '{"stream":"https://…"}', nonEmpty: true },
      functions,
    );
    return urls.map(({ spec, value }) => targetFor(spec, httpUrl(`urls-json ${spec.name}`, String(value))));
  }
  if (!v.url) {
    if (v.invoke !== undefined || v["invoke-json"] !== undefined) return [];
    throw new UsageError(`no URL to check: pass --urls-json, or --url, or --invoke (see --help)`);
  }
  const url = httpUrl("url", v.url);
  if (v.function) {
    try {
      return [targetFor(functionNamed(v.function, functions), url)];
    } catch (error) {
      throw new UsageError(`--function: ${(error as Error).message}`);
    }
  }
  // No row: what any streamed answer must show (2xx, and it streams).
  return [{ label: "url", url, expect: resolveExpectations(undefined, true) }];
}

/** `--auth-types-json`, the stack's authTypes output: row to NONE or AWS_IAM. */
function authTypesByRow(
  raw: string | undefined,
  functions: readonly FunctionSpec[],
): Record<string, AuthType> | undefined {
  if (raw === undefined) return undefined;
  const rows = rowsOf(
    "auth-types-json",
    raw,
    { output: "authTypes", what: "row to NONE or AWS_IAM", example: '{"stream":"NONE"}' },
    functions,
  );
  for (const { spec, value } of rows) {
    if (!AUTH_TYPES.includes(value as AuthType))
      throw new UsageError(
        `--auth-types-json ${spec.name}: ${JSON.stringify(value)}: expected NONE or AWS_IAM`,
      );
  }
  return Object.fromEntries(rows.map(({ spec, value }) => [spec.name, value as AuthType]));
}

/**
 * The SDK path's targets: `--invoke <function>` names a row (the emulator names functions
 * by row), `--invoke-json` takes the stack's functionNames output (row to deployed name)
 * and reads every RESPONSE_STREAM row of it, so adding a row needs no workflow edit.
 */
export function invokeTargets(
  v: { invoke?: string; "invoke-json"?: string; region?: string },
  env: NodeJS.ProcessEnv,
  functions: readonly FunctionSpec[],
): CheckTarget[] {
  if (v.invoke === undefined && v["invoke-json"] === undefined) {
    if (v.region !== undefined) throw new UsageError("--region goes with --invoke or --invoke-json");
    return [];
  }
  if (v.invoke !== undefined && v["invoke-json"] !== undefined)
    throw new UsageError("use either --invoke <function> or --invoke-json, not both");
  const region = v.region ?? (env.AWS_REGION || env.AWS_DEFAULT_REGION);
  if (!region) throw new UsageError("the SDK check needs --region <region> or AWS_REGION in the environment");
  awsRegion("region", region);
  if (v.invoke !== undefined) {
    return [
      invokeTargetFor(rowNamed("invoke", v.invoke, functions), { functionName: v.invoke, region }, env),
    ];
  }
  return rowsOf(
    "invoke-json",
    v["invoke-json"] as string,
    { output: "functionNames", what: "row to function name", example: '{"stream":"app-pr-7-stream"}' },
    functions,
  )
    .map(({ spec, value }) => ({ spec, functionName: String(value) }))
    .filter(({ spec }) => spec.invokeMode === "RESPONSE_STREAM")
    .map(({ spec, functionName }) => invokeTargetFor(spec, { functionName, region }, env));
}

/** `--base-costs-json`: row to dollars per 1,000 requests; `{}` (nothing recorded yet) is fine. */
function baseCosts(json: string): Record<string, number> {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new UsageError(
      `--base-costs-json ${JSON.stringify(json.slice(0, 40))} is not JSON: expected e.g. {"stream":0.0037}`,
    );
  }
  const ok =
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((usd) => typeof usd === "number" && usd >= 0);
  if (!ok)
    throw new UsageError('--base-costs-json: expected an object of row to dollars, e.g. {"stream":0.0037}');
  return value as Record<string, number>;
}

/** Where `--logs` reads: every row of the functionNames output, its function's log group. */
function logSourceOf(json: string, region: string, functions: readonly FunctionSpec[]): LogSource {
  const functionNames = Object.fromEntries(
    rowsOf(
      "invoke-json",
      json,
      { output: "functionNames", what: "row to function name", example: '{"stream":"app-pr-7-stream"}' },
      functions,
      // A qualified name (production's `<function>:live`) logs to its function's group.
    ).map(({ spec, value }) => [spec.name, String(value).replace(/:[^:]+$/, "")]),
  );
  // Lambda's logs lag by seconds: 20 s at most for a failing request's REPORT line.
  return { functionNames, region, architecture: LAMBDA_ARCHITECTURE, timeoutMs: 20_000 };
}

/**
 * Settings that would make a lines verdict wrong before any request is sent: at interval 0
 * every line comes at once, so streaming cannot be told from buffering; a curl time-out
 * shorter than the lines take cuts every stream.
 */
export function checkLinesSettings(
  targets: readonly CheckTarget[],
  fallbackIntervalMs: number,
  timeoutS: number | undefined,
): void {
  for (const target of targets) {
    const lines = target.expect.lines;
    if (!lines) continue;
    const intervalMs = target.intervalMs ?? fallbackIntervalMs;
    if (intervalMs === 0) {
      throw new UsageError(
        `${target.label}: an interval of 0 ms sends every line at once, so a stream cannot be told from a buffered answer; check at 1 ms or more, or skip the check`,
      );
    }
    const seconds = (lines.text.length * intervalMs) / 1000;
    const needed = Math.ceil(seconds) + 2;
    if (timeoutS !== undefined && timeoutS < needed) {
      throw new UsageError(
        `--timeout-s ${timeoutS} is shorter than ${target.label}'s lines (${seconds.toFixed(1)} s at ${intervalMs} ms a line): use --timeout-s ${needed} or more`,
      );
    }
  }
}

/**
 * A report path must be a file we can write: not an existing directory, and its folder an
 * existing directory or creatable (its nearest existing ancestor a writable directory).
 * Checked before any request, so a typo never costs a whole check.
 */
export function reportPath(flag: string, file: string): string {
  const path = resolve(file);
  if (existsSync(path) && statSync(path).isDirectory()) {
    throw new UsageError(
      `--${flag} ${file} is a directory: give a file, e.g. ${join(file, `stream-check.${flag === "json" ? "json" : "md"}`)}`,
    );
  }
  let dir = dirname(path);
  while (!existsSync(dir)) dir = dirname(dir);
  if (!statSync(dir).isDirectory())
    throw new UsageError(`--${flag} ${file}: ${dir} is a file, so the folder cannot be created`);
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new UsageError(`--${flag} ${file}: ${dir} is not writable: pick another folder`);
  }
  return file;
}

export function parseCheckArgs(
  args: string[],
  functions: readonly FunctionSpec[],
  env: NodeJS.ProcessEnv = process.env,
): CheckRun {
  const v = parseFlags(
    args,
    {
      url: { type: "string", description: "one URL to check" },
      function: { type: "string", description: "with --url: the row of the function table it serves" },
      "urls-json": { type: "string", description: "the stack's urls output: every row, with its own checks" },
      "rest-urls-json": {
        type: "string",
        description: "the stack's restApiUrls output: each row's REST API door, with the row's checks",
      },
      "interval-ms": {
        type: "string",
        description: `every row's pause between lines, 1 to ${INTERVAL_MS.max} ms (default: each row's interval.ms)`,
      },
      "tolerance-ms": {
        type: "string",
        default: String(DEFAULT_CHECK_OPTIONS.toleranceMs),
        description: `allowed gap error, 0 to ${INTERVAL_MS.max} ms`,
      },
      "max-ttfb-ms": {
        type: "string",
        default: String(DEFAULT_CHECK_OPTIONS.maxTtfbMs),
        description: "first byte within, 1 to 900000 ms",
      },
      "buffered-window-ms": {
        type: "string",
        default: String(DEFAULT_CHECK_OPTIONS.bufferedWindowMs),
        description: "buffered: every sentence within, 0 to 60000 ms",
      },
      "wait-s": {
        type: "string",
        default: String(DEFAULT_CHECK_OPTIONS.waitS),
        description: "retry before the first byte for, 0 to 3600 s (3 s for a refused local URL)",
      },
      "timeout-s": {
        type: "string",
        description: "curl --max-time per attempt, 1 to 3600 s (default: the lines' time + 30 s)",
      },
      json: { type: "string", description: "write the JSON report to this file" },
      markdown: { type: "string", description: "write the markdown report (table and chart) to this file" },
      sigv4: { type: "string", description: "sign for this AWS region (credentials from the environment)" },
      "auth-type": {
        type: "string",
        default: "NONE",
        description: "NONE or AWS_IAM, for every URL (signs, region from AWS_REGION)",
      },
      "auth-types-json": {
        type: "string",
        description: "the stack's authTypes output: each row's AWS_IAM URL is signed, its NONE URL not",
      },
      invoke: {
        type: "string",
        description: "also read this row's function through the AWS SDK's InvokeWithResponseStream",
      },
      "invoke-json": {
        type: "string",
        description: "the stack's functionNames output: read every RESPONSE_STREAM row through the SDK",
      },
      region: { type: "string", description: "for the SDK: the functions' region (default: AWS_REGION)" },
      "base-costs-json": {
        type: "string",
        description:
          'with --logs: the base branch\'s dollars per 1,000 requests by row, e.g. {"stream":0.0037} (lambda-stream-costs base)',
      },
      logs: {
        type: "boolean",
        default: false,
        description:
          "with --invoke-json: fetch each failing request's log lines and each row's REPORT lines (a cost line) from CloudWatch Logs",
      },
      browser: {
        type: "boolean",
        default: false,
        description: "also read every URL in Chrome/Chromium through the demo page (or BROWSER_CHECK=true)",
      },
      "browser-path": {
        type: "string",
        description: "with --browser: the browser (default: the first on PATH)",
      },
    },
    CHECK_USAGE,
  );
  const targets = checkTargets(v, functions);
  targets.push(...invokeTargets(v, env, functions));
  // The REST API doors (the stack's restApiUrls output), read one door at a time after the URLs.
  const restTargets =
    v["rest-urls-json"] === undefined
      ? []
      : rowsOf(
          "rest-urls-json",
          v["rest-urls-json"],
          {
            output: "restApiUrls",
            what: "row to REST API stage URL",
            example: '{"stream":"https://…/api/"}',
          },
          functions,
        ).map(({ spec, value }) =>
          restApiTargetFor(spec, httpUrl(`rest-urls-json ${spec.name}`, String(value))),
        );
  if (v.logs && v["invoke-json"] === undefined)
    throw new UsageError(
      "--logs needs the stack's functionNames output (--invoke-json): it names each row's log group",
    );
  if (v["base-costs-json"] !== undefined && !v.logs)
    throw new UsageError("--base-costs-json goes with --logs");
  const logs = v.logs
    ? logSourceOf(
        v["invoke-json"] as string,
        v.region ?? (env.AWS_REGION || env.AWS_DEFAULT_REGION) ?? "",
        functions,
      )
    : undefined;
  if (logs && v["base-costs-json"] !== undefined) logs.base = baseCosts(v["base-costs-json"]);
  // The deploy workflow passes its repository variable through the environment.
  const browser = v.browser || env.BROWSER_CHECK === "true";
  if (v["browser-path"] !== undefined && !browser) throw new UsageError("--browser-path goes with --browser");
  if (browser && v["auth-type"] === "AWS_IAM")
    throw new UsageError(
      "--browser reads public URLs only: a browser cannot sign for AWS_IAM (use the SDK check, --invoke-json)",
    );
  // The stack exports its URLs' auth types: AWS_IAM URLs are signed with the job's
  // credentials, for the region the workflow deployed to. `--auth-type` is one for all
  // URLs; `--auth-types-json` (the stack's authTypes output) one per row.
  if (v["auth-type"] !== "NONE" && v["auth-type"] !== "AWS_IAM") {
    throw new UsageError(`--auth-type ${JSON.stringify(v["auth-type"])}: expected NONE or AWS_IAM`);
  }
  const rowAuth = authTypesByRow(v["auth-types-json"], functions);
  // An AWS_IAM row's REST API methods take SigV4 for execute-api, which the deploy roles are not
  // given: its REST API door is left out of the check, and the verdict says so.
  const skipped: string[] = [];
  for (const target of restTargets) {
    const row = target.label.replace(/·rest$/, "");
    if ((rowAuth?.[row] ?? v["auth-type"]) === "AWS_IAM") {
      skipped.push(
        `${target.label}: not checked (an AWS_IAM REST API needs execute-api:Invoke, which the deploy roles do not have)`,
      );
      continue;
    }
    target.sign = false;
    targets.push(target);
  }
  for (const target of targets) {
    if (target.restApi) continue;
    if (target.invoke) continue;
    const auth = rowAuth?.[target.label] ?? v["auth-type"];
    target.sign = auth === "AWS_IAM" || (v.sigv4 !== undefined && rowAuth === undefined);
  }
  if (targets.some((target) => target.sign) && v.sigv4 === undefined) {
    v.sigv4 = env.AWS_REGION || env.AWS_DEFAULT_REGION;
    if (!v.sigv4)
      throw new UsageError(
        "AWS_IAM URLs need --sigv4 <region> or AWS_REGION in the environment to be signed",
      );
  }
  if (v.sigv4 !== undefined) awsRegion("sigv4", v.sigv4);
  const override =
    v["interval-ms"] === undefined
      ? undefined
      : integer("interval-ms", v["interval-ms"], INTERVAL_MS.min, INTERVAL_MS.max);
  // --interval-ms runs the check at a test pace: every target with an interval takes it.
  if (override !== undefined)
    for (const target of targets) if (target.intervalMs !== undefined) target.intervalMs = override;
  const intervalMs = override ?? INTERVAL_MS.default;
  const timeoutS = v["timeout-s"] ? integer("timeout-s", v["timeout-s"], 1, 3600) : undefined;
  checkLinesSettings(targets, intervalMs, timeoutS);
  return {
    targets,
    ...(skipped.length > 0 ? { skipped } : {}),
    options: {
      intervalMs,
      toleranceMs: integer("tolerance-ms", v["tolerance-ms"], 0, INTERVAL_MS.max),
      maxTtfbMs: integer("max-ttfb-ms", v["max-ttfb-ms"], 1, 900_000),
      bufferedWindowMs: integer("buffered-window-ms", v["buffered-window-ms"], 0, 60_000),
      waitS: integer("wait-s", v["wait-s"], 0, 3600),
      ...(timeoutS ? { timeoutS } : {}),
      ...(v.sigv4 ? { sigv4Region: v.sigv4 } : {}),
    },
    ...(browser ? { browser: v["browser-path"] ? { path: v["browser-path"] } : {} } : {}),
    ...(logs ? { logs } : {}),
    ...(v.json ? { jsonFile: reportPath("json", v.json) } : {}),
    ...(v.markdown ? { markdownFile: reportPath("markdown", v.markdown) } : {}),
  };
}

export interface CheckIo {
  /** Live progress (stderr when stdout is not a terminal). */
  progress: (line: string) => void;
  /** The verdict table. */
  out: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** The terminal's width for progress lines (80 when not a terminal). */
  columns?: number;
  /** Colour ok/FAIL (a terminal, NO_COLOR unset). */
  colour?: boolean;
}

export function defaultCheckIo(): CheckIo {
  const progressStream = process.stdout.isTTY ? process.stdout : process.stderr;
  return {
    progress: (line) => progressStream.write(`${line}\n`),
    out: (text) => process.stdout.write(`${text}\n`),
    env: process.env,
    columns: process.stdout.isTTY ? process.stdout.columns : 80,
    colour: useColour(process.stdout, process.env),
  };
}

/**
 * Checks every target at once (streaming and buffered side by side), prints the live
 * arrivals and the verdict, and writes every report asked for, on failure too.
 */
export async function runCheck(
  run: CheckRun,
  io: CheckIo,
): Promise<{ code: number; results: CheckResult[] }> {
  const signs = run.targets.some((target) => target.sign ?? Boolean(run.options.sigv4Region));
  if (run.options.sigv4Region && signs && (!io.env.AWS_ACCESS_KEY_ID || !io.env.AWS_SECRET_ACCESS_KEY)) {
    throw new UsageError(
      "--sigv4 needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment (in CI: configure-aws-credentials)",
    );
  }
  const previous = new Map<string, number>();
  const width = Math.max(9, ...run.targets.map((target) => target.label.length));
  const options: CheckOptions = {
    ...run.options,
    onArrival: (target, arrival, index) => {
      io.progress(
        progressLine(
          target.label.padEnd(width),
          index,
          arrival,
          previous.get(target.label),
          target.intervalMs ?? run.options.intervalMs,
          io.columns ?? 80,
        ),
      );
      previous.set(target.label, arrival.atMs);
    },
    onRetry: (target, attempt, why, waitMs) =>
      io.progress(`${target.label.padEnd(width)}  attempt ${attempt}: ${why}; retrying in ${waitMs} ms`),
  };
  for (const line of run.skipped ?? []) io.progress(line);
  for (const target of run.targets)
    io.progress(
      `${target.label.padEnd(width)}  ${target.invoke ? "InvokeWithResponseStream" : (target.request?.method ?? "GET")} ${target.url} (expecting ${describeExpectations(target.expect)})`,
    );
  const sinceMs = Date.now();
  const results = await checkByDoor(run.targets, options);
  const extras = run.logs ? await logExtras(results, run.logs, sinceMs) : undefined;
  io.out(verdictText(results, io.colour ?? false, extras));
  const markdown = toMarkdown(results, extras);
  const writes: Promise<void>[] = [];
  if (run.jsonFile)
    writes.push(writeReport(run.jsonFile, `${JSON.stringify(toJson(results, extras), null, 2)}\n`));
  if (run.markdownFile) writes.push(writeReport(run.markdownFile, markdown));
  if (io.env.GITHUB_STEP_SUMMARY) writes.push(appendFile(io.env.GITHUB_STEP_SUMMARY, `${markdown}\n`));
  await Promise.all(writes);
  return { code: exitCodeFor(results), results };
}

/**
 * Timed one door at a time: the Function URLs (curl, the browser) first, then the REST API
 * doors, then the SDK; the rows of a door together. Every curl line is stamped on this process's event loop, and the SDK works on
 * it: a first InvokeWithResponseStream call blocked it for up to 120 ms on a busy machine,
 * which held back one URL's first line and made the next gap look short by as much.
 */
export async function checkByDoor(
  targets: readonly CheckTarget[],
  options: CheckOptions,
): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const doorOf = (target: CheckTarget) => (target.invoke ? "sdk" : target.restApi ? "rest" : "url");
  for (const name of ["url", "rest", "sdk"] as const) {
    const sdk = name === "sdk";
    const door = targets.flatMap((target, at) => (doorOf(target) === name ? [{ target, at }] : []));
    if (sdk)
      await Promise.all(door.flatMap(({ target }) => (target.invoke ? [prepareInvoke(target.invoke)] : [])));
    await Promise.all(
      door.map(async ({ target, at }) => {
        results[at] = await checkUrl(target, options);
      }),
    );
  }
  return results;
}

async function writeReport(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, text);
}
