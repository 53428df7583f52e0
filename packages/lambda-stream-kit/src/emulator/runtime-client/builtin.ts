/**
 * A small pure-JS Lambda runtime client for Node.js: the same contract as AWS's
 * aws-lambda-ric (globals, handler loading, streaming and buffered invokes, error
 * reporting, log format), for machines where the RIC's native addon cannot load.
 * It runs as its own process, bundled by esbuild; the emulator's behaviour tests run
 * against both clients so this one is held to AWS's.
 */
import { existsSync } from "node:fs";
import http from "node:http";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { format } from "node:util";
import {
  HIGH_WATER_MARK_MARKER,
  markStreaming,
  STREAM_RESPONSE,
  STREAMING_MARKER,
} from "../../handler/streamify.js";
import {
  DEFAULT_STREAM_CONTENT_TYPE,
  type FunctionError,
  HEADER,
  PRELUDE_CONTENT_TYPE,
  PRELUDE_DELIMITER_LENGTH,
  RUNTIME_API_PREFIX,
  STREAMING_RESPONSE_MODE,
  toFunctionError,
} from "../contract.js";

type AnyHandler = ((...args: unknown[]) => unknown) & Record<symbol, unknown>;

class NamedError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/**
 * An error as the RIC logs it ("Invoke Error", "Init Error"): a tab, then JSON with errorType,
 * errorMessage, code, the error's own properties and its stack as an array of lines
 * (aws-lambda-ric utils/error.js toFormatted / withEnumerableProperties). What is posted to the
 * Runtime API is another shape ({ errorType, errorMessage, trace }: formatError).
 */
function logFormatted(error: unknown): string {
  const withProperties = (_key: string, value: unknown) => {
    if (!(value instanceof Error)) return value;
    const own: Record<string, unknown> = {
      errorType: value.name,
      errorMessage: value.message,
      code: (value as { code?: unknown }).code,
      ...Object.fromEntries(Object.entries(value)),
    };
    if (typeof value.stack === "string") own.stack = value.stack.split("\n");
    return own;
  };
  try {
    return `\t${JSON.stringify(error, withProperties)}`;
  } catch {
    return `\t${JSON.stringify(toFunctionError(error))}`;
  }
}

const [apiHost = "127.0.0.1", apiPort = "9001"] = (process.env.AWS_LAMBDA_RUNTIME_API ?? "").split(":");
const agent = new http.Agent({ keepAlive: true, maxSockets: 1, noDelay: true } as http.AgentOptions);
let currentRequestId = "";

function patchConsole(): void {
  const levels = { log: "INFO", info: "INFO", warn: "WARN", error: "ERROR", debug: "DEBUG", trace: "TRACE" };
  for (const [method, level] of Object.entries(levels)) {
    (console as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
      process.stdout.write(
        `${new Date().toISOString()}\t${currentRequestId || "undefined"}\t${level}\t${format(...args)}\n`,
      );
    };
  }
}

interface ApiResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function call(
  method: string,
  path: string,
  body?: string,
  headers: Record<string, string> = {},
): Promise<ApiResponse> {
  return new Promise((done, fail) => {
    const request = http.request(
      { agent, host: apiHost, port: Number(apiPort), method, path: RUNTIME_API_PREFIX + path, headers },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          text += chunk;
        });
        response.on("end", () =>
          done({ status: response.statusCode ?? 0, headers: response.headers, body: text }),
        );
        response.on("error", fail);
      },
    );
    request.on("error", fail);
    request.end(body);
  });
}

function postJson(path: string, value: unknown, errorType?: string): Promise<ApiResponse> {
  const body = JSON.stringify(value ?? null);
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (errorType) headers[HEADER.errorType] = errorType;
  return call("POST", path, body, headers);
}

async function loadHandler(): Promise<AnyHandler> {
  const taskRoot = process.env.LAMBDA_TASK_ROOT ?? process.cwd();
  const handlerString = process.env._HANDLER ?? "";
  const match = /^(.*?)([^/.]+)\.([^/]+)$/.exec(handlerString);
  if (!match) throw new NamedError("Runtime.MalformedHandlerName", "Bad handler");
  const [, moduleDir = "", moduleName = "", exportPath = ""] = match;
  const base = resolve(taskRoot, moduleDir, moduleName);
  const file = ["", ".js", ".mjs", ".cjs"].map((ext) => base + ext).find((f) => existsSync(f));
  if (!file) throw new NamedError("Runtime.ImportModuleError", `Error: Cannot find module '${moduleName}'`);
  let module: Record<string, unknown>;
  try {
    module = await import(pathToFileURL(file).href);
  } catch (error) {
    if (error instanceof SyntaxError) throw new NamedError("Runtime.UserCodeSyntaxError", String(error));
    throw error;
  }
  let value: unknown = module;
  for (const key of exportPath.split(".")) value = (value as Record<string, unknown> | undefined)?.[key];
  if (typeof value !== "function") {
    throw new NamedError(
      "Runtime.HandlerNotFound",
      `${moduleName}.${exportPath} is undefined or not exported`,
    );
  }
  return value as AnyHandler;
}

interface Invocation {
  requestId: string;
  event: unknown;
  context: Record<string, unknown>;
}

async function nextInvocation(): Promise<Invocation> {
  const response = await call("GET", "/invocation/next");
  const requestId = String(response.headers[HEADER.requestId]);
  const deadline = Number(response.headers[HEADER.deadlineMs]);
  const env = process.env;
  return {
    requestId,
    event: JSON.parse(response.body),
    context: {
      awsRequestId: requestId,
      invokedFunctionArn: response.headers[HEADER.functionArn],
      functionName: env.AWS_LAMBDA_FUNCTION_NAME,
      functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION,
      memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
      logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME,
      logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME,
      callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: () => deadline - Date.now(),
    },
  };
}

type ResponseStream = http.ClientRequest & {
  setContentType(type: string): void;
  _onBeforeFirstWrite?: (write: (chunk: string | Uint8Array) => void) => void;
};

/**
 * The response stream is the HTTP request to the Runtime API itself, as in the RIC: Node
 * sends the request's headers with the first write, so setContentType works until then,
 * and TCP backpressure from the Runtime API reaches the handler through write()'s return.
 */
function openResponseStream(
  requestId: string,
  highWaterMark: number | undefined,
): {
  stream: ResponseStream;
  finished: Promise<void>;
} {
  const request = http.request({
    agent,
    host: apiHost,
    port: Number(apiPort),
    method: "POST",
    path: `${RUNTIME_API_PREFIX}/invocation/${encodeURIComponent(requestId)}/response`,
    headers: {
      "Lambda-Runtime-Function-Response-Mode": STREAMING_RESPONSE_MODE,
      "Transfer-Encoding": "chunked",
      Trailer: "Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body",
      "Content-Type": DEFAULT_STREAM_CONTENT_TYPE,
    },
    ...(highWaterMark ? { highWaterMark } : {}),
  }) as ResponseStream;
  const finished = new Promise<void>((done, fail) => {
    request.on("response", (response) => {
      response.resume();
      response.on("end", () => done());
    });
    request.on("error", fail);
  });
  let started = false;
  request.setContentType = (type: string) => {
    if (started)
      throw new NamedError("Runtime.InvalidStreamingOperation", "Cannot set content-type, too late.");
    request.setHeader("Content-Type", type);
  };
  const write = request.write.bind(request) as (chunk: unknown, ...rest: unknown[]) => boolean;
  // Only write() sends the prelude, exactly like the RIC: end(data) with no write before it
  // skips it (a known quirk; AWS then answers 502).
  request.write = ((chunk: unknown, ...rest: unknown[]) => {
    const data = typeof chunk === "string" || chunk instanceof Uint8Array ? chunk : JSON.stringify(chunk);
    if (!started && typeof request._onBeforeFirstWrite === "function") {
      request._onBeforeFirstWrite((bytes) => write(bytes));
    }
    started = true;
    return write(data, ...rest);
  }) as typeof request.write;
  return { stream: request, finished };
}

async function failStream(stream: ResponseStream, error: unknown): Promise<void> {
  const described = toFunctionError(error);
  console.error("Invoke Error", logFormatted(error));
  stream.addTrailers({
    [HEADER.errorType]: described.errorType,
    [HEADER.errorBody]: Buffer.from(JSON.stringify(described)).toString("base64"),
  });
  await new Promise<void>((done) => stream.end(() => done()));
}

async function invokeStreaming(handler: AnyHandler, invocation: Invocation): Promise<void> {
  const highWaterMark = handler[HIGH_WATER_MARK_MARKER] as number | undefined;
  const { stream, finished } = openResponseStream(invocation.requestId, highWaterMark);
  try {
    const result = handler(invocation.event, stream, invocation.context);
    if (typeof (result as Promise<unknown> | undefined)?.then !== "function") {
      throw new Error("Streaming does not support non-async handlers.");
    }
    if ((await result) !== undefined) console.warn("Streaming handlers ignore return values.");
    await finished;
  } catch (error) {
    await failStream(stream, error);
    await finished.catch(() => undefined);
  }
}

async function invokeBuffered(handler: AnyHandler, invocation: Invocation): Promise<void> {
  const path = `/invocation/${encodeURIComponent(invocation.requestId)}`;
  try {
    const result = await handler(invocation.event, invocation.context);
    await postJson(`${path}/response`, result);
  } catch (error) {
    const described: FunctionError = toFunctionError(error);
    console.error("Invoke Error", logFormatted(error));
    await postJson(`${path}/error`, described, described.errorType);
  }
}

async function main(): Promise<void> {
  const noGlobal = ["1", "true"].includes(process.env.AWS_LAMBDA_NODEJS_NO_GLOBAL_AWSLAMBDA ?? "");
  if (!noGlobal) {
    const runtimeGlobal: awslambda.Global = {
      streamifyResponse: markStreaming,
      HttpResponseStream: {
        from(stream, metadata) {
          stream.setContentType(PRELUDE_CONTENT_TYPE);
          const prelude = JSON.stringify(metadata);
          (stream as unknown as ResponseStream)._onBeforeFirstWrite = (write) => {
            write(prelude);
            write(new Uint8Array(PRELUDE_DELIMITER_LENGTH));
          };
          return stream;
        },
      },
    };
    globalThis.awslambda = runtimeGlobal;
  }
  patchConsole();

  let handler: AnyHandler;
  let streaming: boolean;
  try {
    handler = await loadHandler();
    const marker = handler[STREAMING_MARKER];
    if (marker !== undefined && marker !== STREAM_RESPONSE) {
      throw new NamedError("Runtime.MalformedStreamingHandler", "Only response streaming is supported.");
    }
    streaming = marker === STREAM_RESPONSE;
    if (!streaming && handler.length >= 3) {
      throw new NamedError(
        "Runtime.CallbackHandlerDeprecated",
        "Callback-based function handlers are not supported. Use an async handler.",
      );
    }
  } catch (error) {
    const described = toFunctionError(error);
    console.error("Init Error", logFormatted(error));
    await postJson("/init/error", described, described.errorType);
    process.exit(1);
  }

  for (;;) {
    const invocation = await nextInvocation();
    currentRequestId = invocation.requestId;
    if (streaming) await invokeStreaming(handler, invocation);
    else await invokeBuffered(handler, invocation);
  }
}

main().catch((error) => {
  process.stderr.write(`builtin runtime client: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
