import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { basename } from "node:path";
import { UsageError } from "../cli.js";
import { lambdaLogGroup, MEMORY_MB, TIMEOUT_S, type UrlCors } from "../contract.js";
import { type FunctionSpec, type RestApiSettings, restApiOf } from "../functions.js";
import type { LambdaRuntime } from "../runtime.js";
import type { DeliverySpec } from "./delivery/index.js";
import { FunctionUrlFrontEnd, type InvokeMode } from "./front-end.js";
import { resolveFunctionHandler, resolveHandler } from "./handler-spec.js";
import { ENDPOINT_ENV, type FunctionConfiguration, LambdaApi } from "./lambda-api.js";
import { LOGS_ENDPOINT_ENV } from "./logs-api.js";
import { chooseNode, type NodeChoice } from "./node-binary.js";
import { FunctionPool } from "./pool.js";
import { RestApiFrontEnd } from "./rest-api.js";
import { type RuntimeClient, type RuntimeClientName, resolveRuntimeClient } from "./runtime-clients.js";
import { compileError, type Rebuildable, type RebuildResult } from "./watch.js";

export interface FunctionOptions {
  /** Shown in logs; also the function name the runtime sees. */
  name?: string;
  /** `<file>[#export]` (or `function`). */
  handler?: string;
  /** A row of the function table: its entry bundled exactly as Pulumi uploads it. */
  function?: FunctionSpec;
  invokeMode: InvokeMode;
  /** The URL's CORS (default: the row's, else none). */
  cors?: UrlCors;
  host?: string;
  port?: number;
  timeoutS?: number;
  memoryMb?: number;
  env?: Record<string, string>;
  runtime?: RuntimeClientName;
  /** The Lambda runtime emulated; default: the project's. */
  lambdaRuntime?: LambdaRuntime;
  /** The node binary instances run on; default: the one running the emulator. */
  nodePath?: string;
  awsLimits?: boolean;
  /** How the Lambda service passes the runtime's writes on (default: as written). */
  delivery?: DeliverySpec;
  maxConcurrency?: number;
  /** Also a REST API door (default: the row's `restApi`), on `restApiPort` (0: any free one). */
  restApi?: Required<RestApiSettings> | undefined;
  restApiPort?: number;
  log?: (line: string) => void;
}

export interface RunningFunction extends Rebuildable {
  name: string;
  url: string;
  /** The REST API door's stage URL, when the function has one. */
  restApiUrl?: string | undefined;
  invokeMode: InvokeMode;
  delivery?: DeliverySpec | undefined;
  client: RuntimeClient;
  node: NodeChoice;
  pool: FunctionPool;
  /** What the Lambda API's GetFunction(Configuration) and ListFunctions say of it. */
  configuration(): FunctionConfiguration;
  close(): Promise<void>;
}

export const DEFAULTS = {
  host: "127.0.0.1",
  timeoutS: TIMEOUT_S.default,
  memoryMb: MEMORY_MB.default,
  maxConcurrency: 100,
} as const;

/** `path/orders-api.mjs#handler` → `orders-api`. */
export function handlerName(handler: string): string {
  const file = basename(handler.replace(/#[^#/]*$/, ""));
  return file.replace(/\.(c|m)?(j|t)s$/, "") || "function";
}

/** Serves one function behind a local Function URL; close() stops it and every instance. */
export async function serveFunction(options: FunctionOptions): Promise<RunningFunction> {
  const node = chooseNode({ runtime: options.lambdaRuntime, nodePath: options.nodePath });
  if (!options.function && !options.handler)
    throw new UsageError("no handler to serve: pass --handler <file>[#export] (a .mjs, .js or .ts file)");
  const resolved = options.function
    ? resolveFunctionHandler(options.function, node.runtime)
    : resolveHandler(options.handler ?? "");
  let inputs = resolved.inputs;
  let servingSha = resolved.sha256;
  const client = resolveRuntimeClient(options.runtime, node.path);
  // Lambda names functions, not folders: `orders-api.mjs` serves as orders-api.
  const name = options.name ?? options.function?.name ?? handlerName(options.handler ?? "");
  const print = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  // What the first environment prints while it initialises is held back: if the handler
  // cannot load at all, the one-line error below says it all; otherwise it is printed.
  const held: string[] = [];
  let holding = true;
  const log = (line: string) => (holding ? held.push(line) : print(line));
  const functionArn = `arn:aws:lambda:us-east-1:000000000000:function:${name}`;
  const memoryMb = options.memoryMb ?? DEFAULTS.memoryMb;
  const timeoutS = options.timeoutS ?? DEFAULTS.timeoutS;
  const env = options.env ?? {};
  const pool = new FunctionPool({
    functionName: name,
    functionArn,
    taskRoot: resolved.taskRoot,
    handler: resolved.handler,
    memoryMb,
    timeoutS,
    env,
    client,
    node,
    maxConcurrency: options.maxConcurrency ?? DEFAULTS.maxConcurrency,
    log,
  });
  // Initialise one environment now: a handler that is not a function is bad input, said
  // once at start (other init errors are the function's: requests get 502, as on AWS).
  const initError = await pool.provision();
  if (initError?.errorType === "Runtime.HandlerNotFound") {
    // Still holding: what the dying runtime prints after its init error (aws-lambda-ric
    // prints the exception after posting it) stays held and is dropped with it.
    await pool.close();
    const what = options.function
      ? `function ${options.function.name} (${options.function.entry})`
      : `--handler ${options.handler}`;
    throw new UsageError(
      `${what}: ${initError.errorMessage.split("\n")[0]}: export a function, e.g. export const handler = async (event) => ({ statusCode: 200 })`,
    );
  }
  holding = false;
  for (const line of held.splice(0)) print(line);
  const frontEnd = new FunctionUrlFrontEnd(pool, {
    invokeMode: options.invokeMode,
    host: options.host ?? DEFAULTS.host,
    port: options.port ?? 0,
    awsLimits: options.awsLimits ?? false,
    cors: options.cors ?? options.function?.cors,
    delivery: options.delivery,
    log,
  });
  let url: string;
  try {
    url = await frontEnd.listen();
  } catch (error) {
    await pool.close();
    throw listenError(error, options.host, options.port, "--port");
  }
  const restSettings = options.restApi ?? (options.function ? restApiOf(options.function) : undefined);
  const restApi =
    restSettings &&
    new RestApiFrontEnd(pool, {
      host: options.host ?? DEFAULTS.host,
      port: options.restApiPort ?? 0,
      stageName: restSettings.stageName,
      endpointType: restSettings.endpointType,
      awsLimits: options.awsLimits ?? false,
      delivery: options.delivery,
      log,
    });
  let restApiUrl: string | undefined;
  try {
    restApiUrl = await restApi?.listen();
  } catch (error) {
    await frontEnd.close();
    await pool.close();
    throw listenError(error, options.host, options.restApiPort, "--port");
  }
  return {
    name,
    url,
    restApiUrl,
    invokeMode: options.invokeMode,
    delivery: options.delivery,
    client,
    node,
    pool,
    inputs: () => inputs,
    configuration(): FunctionConfiguration {
      // The code as it is now (watch mode may have rebuilt it).
      const code = readFileSync(resolved.file);
      return {
        FunctionName: name,
        FunctionArn: functionArn,
        Runtime: node.runtime,
        Role: "arn:aws:iam::000000000000:role/local-emulator",
        Handler: resolved.handler,
        CodeSize: code.length,
        CodeSha256: createHash("sha256").update(code).digest("base64"),
        Description: `served by the local emulator (${options.invokeMode} Function URL at ${url})`,
        Timeout: timeoutS,
        MemorySize: memoryMb,
        LastModified: statSync(resolved.file).mtime.toISOString().replace("Z", "+0000"),
        Version: "$LATEST",
        Environment: { Variables: env },
        PackageType: "Zip",
        Architectures: ["x86_64"],
        State: "Active",
        LastUpdateStatus: "Successful",
      };
    },
    rebuild(): RebuildResult {
      const spec = options.function;
      if (!spec) return { ok: false, error: "only rows of the function table are rebuilt in watch mode" };
      const started = performance.now();
      try {
        const rebuilt = resolveFunctionHandler(spec, node.runtime);
        inputs = rebuilt.inputs;
        // Compared with what this function serves: rows sharing an entry share the file.
        const changed = rebuilt.sha256 !== servingSha;
        servingSha = rebuilt.sha256;
        if (changed) pool.recycle();
        return {
          ok: true,
          ms: Math.round(performance.now() - started),
          sha256: servingSha ?? "",
          changed,
          inputs,
        };
      } catch (error) {
        return { ok: false, error: compileError((error as { cause?: unknown }).cause ?? error) };
      }
    },
    async close() {
      await restApi?.close();
      await frontEnd.close();
      await pool.close();
    },
  };
}

/** A listen failure as the usage error it is (a taken port, a host not of this machine). */
function listenError(
  error: unknown,
  host: string | undefined,
  port: number | undefined,
  flag: string,
): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "EADDRINUSE") {
    return new UsageError(
      `port ${port} is already in use: pick another with ${flag}, or ${flag} 0 for any free one`,
    );
  }
  if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND") {
    return new UsageError(`cannot listen on host ${host}: use an address of this machine, e.g. 127.0.0.1`);
  }
  return error;
}

export interface RunningApi {
  /** What to set AWS_ENDPOINT_URL_LAMBDA to. */
  endpoint: string;
  close(): Promise<void>;
}

/** The Lambda API (ListFunctions, GetFunction, GetFunctionConfiguration, Invoke, InvokeWithResponseStream) for these functions. */
export async function serveLambdaApi(
  functions: readonly RunningFunction[],
  options: { host?: string; port?: number; flag?: string; log?: (line: string) => void },
): Promise<RunningApi> {
  const api = new LambdaApi(functions, {
    host: options.host ?? DEFAULTS.host,
    port: options.port ?? 0,
    log: options.log ?? ((line) => process.stderr.write(`${line}\n`)),
  });
  let endpoint: string;
  try {
    endpoint = await api.listen();
  } catch (error) {
    throw listenError(error, options.host, options.port, options.flag ?? "--api-port");
  }
  return { endpoint, close: () => api.close() };
}

/** The lines that tell the AWS SDKs and CLI where Lambda and its logs are, and what they serve. */
export function describeApi(api: RunningApi, functions: readonly RunningFunction[]): string {
  return [
    "Lambda API for the AWS SDKs and CLI (any credentials do):",
    `  ${ENDPOINT_ENV}=${api.endpoint}  functions: ${functions.map((fn) => fn.name).join(", ")}`,
    `  ${LOGS_ENDPOINT_ENV}=${api.endpoint}  log groups: ${functions.map((fn) => lambdaLogGroup(fn.name)).join(", ")} (FilterLogEvents)`,
  ].join("\n");
}
