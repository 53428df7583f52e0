import type { LambdaRuntime } from "../../../lambda/runtime.js";
import { LAMBDA_RUNTIMES } from "../../../lambda/runtime.js";
import { DEFAULT_SENTENCE_INTERVAL_MS, SENTENCE_INTERVAL_ENV } from "../../../lambda/src/speech.js";
import { EXIT, integer, parseFlags } from "../cli.js";
import { type CheckRun, DEFAULT_CHECK_OPTIONS, defaultCheckIo, runCheck } from "../stream-check/run.js";
import { parseLambdaRuntime, parseRuntime } from "./cli-options.js";
import { type RunningFunction, serveFunction } from "./emulator.js";
import type { RuntimeClientName } from "./runtime-clients.js";

export const START_USAGE = `usage: npm start [-- --once] [--port N] [--runtime ric|builtin] [--interval-ms N] [--no-check]
       [--lambda-runtime ${LAMBDA_RUNTIMES.join("|")}] [--node PATH]`;

export interface StartOptions {
  once: boolean;
  check: boolean;
  /** The streaming URL's port; the buffered one takes the next. 0: any free ports. */
  port: number;
  runtime: RuntimeClientName | undefined;
  lambdaRuntime?: LambdaRuntime | undefined;
  nodePath?: string | undefined;
  intervalMs: number | undefined;
}

export function parseStartArgs(args: string[]): StartOptions | "help" {
  const values = parseFlags(
    args,
    {
      once: { type: "boolean", default: false },
      "no-check": { type: "boolean", default: false },
      port: { type: "string", default: "3000" },
      runtime: { type: "string" },
      "lambda-runtime": { type: "string" },
      node: { type: "string" },
      "interval-ms": { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
    START_USAGE,
  );
  if (values.help) return "help";
  return {
    once: values.once,
    check: !values["no-check"],
    port: integer("port", values.port, 0, 65534),
    runtime: parseRuntime(values.runtime),
    lambdaRuntime: parseLambdaRuntime(values["lambda-runtime"]),
    nodePath: values.node,
    intervalMs:
      values["interval-ms"] === undefined
        ? undefined
        : integer("interval-ms", values["interval-ms"], 0, 10000),
  };
}

export interface StartIo {
  describe(fn: RunningFunction): string;
  untilSignal(): Promise<void>;
}

/** `npm start`: the project's function behind a streaming and a buffered local URL. */
export async function runStart(options: StartOptions, io: StartIo): Promise<number> {
  const env: Record<string, string> =
    options.intervalMs === undefined ? {} : { [SENTENCE_INTERVAL_ENV]: String(options.intervalMs) };
  const log = (prefix: string) => (line: string) => process.stderr.write(`[${prefix}] ${line}\n`);
  const streaming = await serveFunction({
    name: "speech-streaming",
    invokeMode: "RESPONSE_STREAM",
    port: options.port,
    runtime: options.runtime,
    lambdaRuntime: options.lambdaRuntime,
    nodePath: options.nodePath,
    env,
    log: log("streaming"),
  });
  let buffered: RunningFunction;
  try {
    buffered = await serveFunction({
      name: "speech-buffered",
      invokeMode: "BUFFERED",
      port: options.port === 0 ? 0 : options.port + 1,
      runtime: options.runtime,
      lambdaRuntime: options.lambdaRuntime,
      nodePath: options.nodePath,
      env,
      log: log("buffered"),
    });
  } catch (error) {
    await streaming.close();
    throw error;
  }
  try {
    console.log(io.describe(streaming));
    console.log(io.describe(buffered));
    console.log(`\nTry:  curl -N ${streaming.url}\n      curl -N ${buffered.url}\n`);
    let code: number = EXIT.ok;
    if (options.check) {
      console.log("Checking both URLs the way CI checks a deployed stack:");
      const run: CheckRun = {
        targets: [
          { label: "streaming", url: streaming.url, expect: "streaming" },
          { label: "buffered", url: buffered.url, expect: "buffered" },
        ],
        options: { ...DEFAULT_CHECK_OPTIONS, intervalMs: options.intervalMs ?? DEFAULT_SENTENCE_INTERVAL_MS },
      };
      ({ code } = await runCheck(run, { ...defaultCheckIo(), progress: (line) => console.log(line) }));
    }
    if (options.once) return code;
    console.log("Serving until Ctrl-C.");
    await io.untilSignal();
    return EXIT.ok;
  } finally {
    await Promise.all([streaming.close(), buffered.close()]);
  }
}
