import { EXIT, integer, parseFlags, UsageError } from "./cli.js";
import { DEMO_PAGE_PORT, INTERVAL_MS } from "./contract.js";
import { parseLambdaRuntime, parseRuntime, RUNTIME_FLAGS } from "./emulator/cli-options.js";
import { type DeliverySpec, parseDelivery } from "./emulator/delivery/index.js";
import {
  describeApi,
  type RunningApi,
  type RunningFunction,
  serveFunction,
  serveLambdaApi,
} from "./emulator/emulator.js";
import type { RuntimeClientName } from "./emulator/runtime-clients.js";
import { watchFunction } from "./emulator/watch.js";
import { type FunctionSpec, rowEnvironment, validateFunctions, withInterval } from "./functions.js";
import { type RunningPage, servePage } from "./page/serve.js";
import { LAMBDA_ARCHITECTURE, LAMBDA_RUNTIMES, type LambdaRuntime } from "./runtime.js";
import { type CheckTarget, doorTargetsFor, invokeTargetFor } from "./stream-check/check.js";
import { type CheckRun, DEFAULT_CHECK_OPTIONS, defaultCheckIo, runCheck } from "./stream-check/run.js";

// `npm start` composes the emulator and the stream check; neither imports the other.

export const DEFAULT_BASE_PORT = 3000;

export const START_USAGE = `usage: npm start [-- --once | --watch] [--port N] [--page-port N] [--runtime ric|builtin] [--interval-ms N] [--no-check]
       [--lambda-runtime ${LAMBDA_RUNTIMES.join("|")}] [--node PATH] [--delivery prompt|next-write|size[:BYTES]|prelude[:MS]]
  Serves every function of the function table on ports N, N+1, … (default ${DEFAULT_BASE_PORT}; 0: any free ports),
  and the Lambda API (Invoke, InvokeWithResponseStream) on the port after them, each row's REST API
  door (a row's restApi) on the ports after that, and a page
  that reads every URL with fetch() from its own origin (--page-port, default ${DEMO_PAGE_PORT}: the origin
  the demo rows' CORS allows).
  --watch rebuilds a function when its handler or anything it imports changes.
  --interval-ms runs every row that states an interval at that pace (tests).`;

export interface StartOptions {
  once: boolean;
  /** Rebuild on change; in-flight invocations finish on the old code. */
  watch?: boolean;
  check: boolean;
  /** The first row's port; the next rows take the next ports. 0: any free ports. */
  port: number;
  /** The demo page's port (its origin is what the rows' CORS allows); 0: any free port. */
  pagePort: number;
  runtime: RuntimeClientName | undefined;
  lambdaRuntime?: LambdaRuntime | undefined;
  nodePath?: string | undefined;
  intervalMs: number | undefined;
  /** How the emulated service passes the functions' writes on (default: as written). */
  delivery?: DeliverySpec | undefined;
}

export function parseStartArgs(args: string[], functions: readonly FunctionSpec[]): StartOptions {
  const values = parseFlags(
    args,
    {
      once: { type: "boolean", default: false, description: "exit after the check, with its verdict" },
      watch: {
        type: "boolean",
        default: false,
        description: "rebuild a function when its handler or an import changes",
      },
      "no-check": { type: "boolean", default: false, description: "serve without checking" },
      port: {
        type: "string",
        default: String(DEFAULT_BASE_PORT),
        description: "the first function's port, the next ones take the next ports (0: any free)",
      },
      "page-port": {
        type: "string",
        description: `the demo page's port (default ${DEMO_PAGE_PORT}, the origin the demo rows' CORS allows; with --port 0, any free)`,
      },
      ...RUNTIME_FLAGS,
      "interval-ms": {
        type: "string",
        description: `every row's pause between lines, ${INTERVAL_MS.min + 1} to ${INTERVAL_MS.max} ms (default: each row's interval.ms)`,
      },
    },
    START_USAGE,
  );
  if (values.once && values.watch) throw new UsageError("--once and --watch contradict each other: pick one");
  if (values["interval-ms"] === "0" && !values["no-check"])
    throw new UsageError(
      "--interval-ms 0 with the check: every line then arrives at once, so a stream cannot be told from a buffered answer; add --no-check, or use 1 ms or more",
    );
  return {
    once: values.once,
    watch: values.watch,
    check: !values["no-check"],
    // Every row needs a port of its own below 65536, the Lambda API the one after, then the doors.
    port: integer(
      "port",
      values.port,
      0,
      65535 - functions.length - 1 - functions.filter((f) => f.restApi).length,
    ),
    pagePort:
      values["page-port"] !== undefined
        ? integer("page-port", values["page-port"], 0, 65535)
        : values.port === "0"
          ? 0
          : DEMO_PAGE_PORT,
    runtime: parseRuntime(values.runtime),
    lambdaRuntime: parseLambdaRuntime(values["lambda-runtime"]),
    nodePath: values.node,
    delivery: parseDelivery(values.delivery),
    intervalMs:
      values["interval-ms"] === undefined
        ? undefined
        : integer("interval-ms", values["interval-ms"], INTERVAL_MS.min, INTERVAL_MS.max),
  };
}

export interface StartIo {
  untilSignal(): Promise<void>;
}

/** The served functions as a table: name, invoke mode, URL. */
export function describeServed(served: readonly RunningFunction[]): string {
  const rows = served.flatMap((fn) => [
    [fn.name, fn.invokeMode, fn.url],
    ...(fn.restApiUrl ? [[`${fn.name}·rest`, "REST API", fn.restApiUrl]] : []),
  ]);
  const widths = [8, 15].map((w, i) => Math.max(w, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i] ?? 0) : c)).join("  ");
  const first = served[0];
  return [
    line(["function", "mode", "URL"]),
    ...rows.map(line),
    first ? `(runtime client: ${first.client.name}, ${first.client.reason}; ${first.node.summary})` : "",
  ].join("\n");
}

/** `npm start`: every row of the table behind its own local Function URL, then the check. */
export async function runStart(
  options: StartOptions,
  io: StartIo,
  table: readonly FunctionSpec[],
): Promise<number> {
  validateFunctions(table);
  // A test pace replaces every row's interval: its environment and the check's expectation.
  const functions = table.map((spec) => withInterval(spec, options.intervalMs));
  const served: RunningFunction[] = [];
  let api: RunningApi | undefined;
  // The REST API doors take the ports after the Lambda API's, in row order.
  let nextDoorPort = options.port + functions.length + 1;
  let page: RunningPage | undefined;
  try {
    for (const [index, spec] of functions.entries()) {
      const log = (line: string) => process.stderr.write(`[${spec.name}] ${line}\n`);
      served.push(
        await serveFunction({
          name: spec.name,
          function: spec,
          invokeMode: spec.invokeMode,
          port: options.port === 0 ? 0 : options.port + index,
          ...(spec.memoryMb ? { memoryMb: spec.memoryMb } : {}),
          ...(spec.timeoutS ? { timeoutS: spec.timeoutS } : {}),
          runtime: options.runtime,
          lambdaRuntime: options.lambdaRuntime,
          nodePath: options.nodePath,
          ...(options.delivery ? { delivery: options.delivery } : {}),
          ...(spec.restApi ? { restApiPort: options.port === 0 ? 0 : nextDoorPort++ } : {}),
          env: rowEnvironment(spec),
          log,
        }),
      );
    }
    api = await serveLambdaApi(served, {
      port: options.port === 0 ? 0 : options.port + functions.length,
      flag: "--port",
      log: (line) => process.stderr.write(`[lambda-api] ${line}\n`),
    });
    page = await servePage(
      served.map((fn) => ({ name: fn.name, invokeMode: fn.invokeMode, url: fn.url })),
      { port: options.pagePort },
    );
  } catch (error) {
    await api?.close();
    await Promise.all(served.map((fn) => fn.close()));
    if (error instanceof UsageError && /port \d+ is already in use/.test(error.message)) {
      const taken = functions[served.length];
      throw new UsageError(
        `${error.message} (wanted by ${taken ? `function ${taken.name}, the ${ordinal(served.length + 1)} row` : "the Lambda API, after the rows"})`,
      );
    }
    throw error;
  }
  try {
    console.log(describeServed(served));
    const urls = served.flatMap((fn) => [fn.url, ...(fn.restApiUrl ? [fn.restApiUrl] : [])]);
    console.log(`\nTry:  ${urls.map((url) => `curl -N ${url}`).join("\n      ")}\n`);
    console.log(`${describeApi(api, served)}\n`);
    console.log(`Page (each URL read by fetch() from its own origin, ${page.origin}):\n  ${page.url}\n`);
    let code: number = EXIT.ok;
    if (options.check) {
      console.log("Checking every URL the way CI checks a deployed stack:");
      // Every door a row has: its Function URL, its REST API, and the SDK's InvokeWithResponseStream
      // (RESPONSE_STREAM rows; the invoke mode is the URL's, and on this path every function streams).
      const targets: CheckTarget[] = served.flatMap((fn, index) =>
        doorTargetsFor(functions[index] as FunctionSpec, fn),
      );
      for (const [index, fn] of served.entries()) {
        const spec = functions[index] as FunctionSpec;
        if (spec.invokeMode === "RESPONSE_STREAM")
          targets.push(
            invokeTargetFor(spec, {
              functionName: fn.name,
              region: "us-east-1",
              local: { endpoint: api.endpoint },
            }),
          );
      }
      const run: CheckRun = {
        targets,
        options: DEFAULT_CHECK_OPTIONS,
        // The same log fetch a deployed check makes, against the emulator's Logs API: a failing
        // request's own lines, and each row's cost from its REPORT lines, priced as deployed.
        logs: {
          functionNames: Object.fromEntries(served.map((fn) => [fn.name, fn.name])),
          region: "us-east-1",
          endpoint: api.endpoint,
          credentials: { accessKeyId: "local", secretAccessKey: "local" },
          architecture: LAMBDA_ARCHITECTURE,
          timeoutMs: 5000,
          intervalMs: 200,
        },
      };
      ({ code } = await runCheck(run, { ...defaultCheckIo(), progress: (line) => console.log(line) }));
    }
    if (options.once) return code;
    const watchers = options.watch
      ? served.map((fn) => watchFunction(fn, (line) => console.log(`[${fn.name}] ${line}`)))
      : [];
    console.log(options.watch ? "Serving and watching until Ctrl-C." : "Serving until Ctrl-C.");
    await io.untilSignal();
    for (const watcher of watchers) watcher.close();
    return EXIT.ok;
  } finally {
    await page.close();
    await api.close();
    await Promise.all(served.map((fn) => fn.close()));
  }
}

function ordinal(n: number): string {
  return `${n}${n === 1 ? "st" : n === 2 ? "nd" : n === 3 ? "rd" : "th"}`;
}
