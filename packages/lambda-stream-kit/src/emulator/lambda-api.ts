import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { pipeline, type Readable } from "node:stream";
import { EventStreamCodec, type Message } from "@smithy/eventstream-codec";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";
import { lambdaLogGroup } from "../contract.js";
import { invokeComplete, payloadChunk } from "../invoke-events.js";
import { closeServer, listenOn } from "../listen.js";
import { readBody } from "./body.js";
import { type FunctionError, LIMITS, PRELUDE_CONTENT_TYPE, RESPONSE_SIZE_TOO_LARGE } from "./contract.js";
import { type DeliverySpec, deliveryStage } from "./delivery/index.js";
import { FunctionStreamError, type Invocation, readWhole } from "./invocation.js";
import { handleLogsRequest, LOGS_TARGET_PREFIX } from "./logs-api.js";
import { type FunctionPool, TooManyRequestsError } from "./pool.js";

/**
 * The Lambda service API for the functions the emulator serves, so the AWS SDKs and CLI
 * (pointed here by AWS_ENDPOINT_URL_LAMBDA) run unchanged: ListFunctions, GetFunction,
 * GetFunctionConfiguration, Invoke and InvokeWithResponseStream. Paths, headers and error
 * names are those of the AWS Lambda API reference (the operations' "Request Syntax" and
 * "Errors"). Signatures are not checked: any credentials do.
 */

/** The FunctionConfiguration fields ListFunctions, GetFunction and GetFunctionConfiguration return (API reference). */
export interface FunctionConfiguration {
  FunctionName: string;
  FunctionArn: string;
  Runtime: string;
  Role: string;
  Handler: string;
  CodeSize: number;
  CodeSha256: string;
  Description: string;
  Timeout: number;
  MemorySize: number;
  LastModified: string;
  Version: "$LATEST";
  Environment: { Variables: Record<string, string> };
  PackageType: "Zip";
  Architectures: ["x86_64"];
  State: "Active";
  LastUpdateStatus: "Successful";
}

export interface ApiFunction {
  name: string;
  pool: FunctionPool;
  /** How the Lambda service passes the runtime's writes on (default: as written). */
  delivery?: DeliverySpec | undefined;
  configuration(): FunctionConfiguration;
}

export interface LambdaApiConfig {
  host: string;
  port: number;
  log: (line: string) => void;
}

/** The environment variable the AWS SDKs and CLI read for Lambda's endpoint (AWS SDKs and Tools reference, "Service-specific endpoints"). */
export const ENDPOINT_ENV = "AWS_ENDPOINT_URL_LAMBDA";

const INVOKE = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;
const INVOKE_STREAM = /^\/2021-11-15\/functions\/([^/]+)\/response-streaming-invocations$/;
const FUNCTION = /^\/2015-03-31\/functions\/([^/]+)\/?$/;
const CONFIGURATION = /^\/2015-03-31\/functions\/([^/]+)\/configuration\/?$/;
const LIST = /^\/2015-03-31\/functions\/?$/;
// FunctionName: a name, a partial ARN (123456789012:function:name) or a full ARN, with an
// optional :qualifier (the API reference's pattern for FunctionName).
const FUNCTION_NAME =
  /^(?:arn:(?:aws[a-zA-Z-]*)?:lambda:)?(?:[a-z]{2}(?:-gov)?-[a-z]+-\d{1}:)?(?:\d{12}:)?(?:function:)?([a-zA-Z0-9-_.]+)(?::(\$LATEST|[a-zA-Z0-9-_]+))?$/;
/** Invoke's LogResult: "the last 4 KB of the execution log" (Invoke, response elements). */
const LOG_TAIL_BYTES = 4 * 1024;

/** One error the API answers, with the name the SDK turns into its exception class. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly extra: Record<string, string> = {},
  ) {
    super(message);
  }
}

export class LambdaApi {
  private readonly server: Server;
  private readonly codec = new EventStreamCodec(toUtf8, fromUtf8);

  constructor(
    private readonly functions: readonly ApiFunction[],
    private readonly config: LambdaApiConfig,
  ) {
    this.server = createServer((req, res) => {
      this.route(req, res).catch((error: unknown) => {
        const apiError =
          error instanceof ApiError
            ? error
            : new ApiError(500, "ServiceException", error instanceof Error ? error.message : String(error));
        if (!(error instanceof ApiError)) config.log(`lambda api: ${(error as Error).stack ?? error}`);
        if (!res.headersSent) sendError(res, apiError);
        else res.destroy();
      });
    });
    this.server.requestTimeout = 0;
  }

  /** Listens and resolves the URL (with the real port when 0 was asked). */
  async listen(): Promise<string> {
    return listenOn(this.server, this.config.host, this.config.port);
  }

  close(): Promise<void> {
    return closeServer(this.server);
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // CloudWatch Logs on the same port (AWS_ENDPOINT_URL_CLOUDWATCH_LOGS): each function's
    // log group, /aws/lambda/<name>, with the lines it logged.
    if (String(req.headers["x-amz-target"] ?? "").startsWith(LOGS_TARGET_PREFIX)) {
      const groups = this.functions.map((fn) => ({
        name: lambdaLogGroup(fn.name),
        events: fn.pool.logEvents,
      }));
      await handleLogsRequest(groups, req, res);
      return;
    }
    const url = new URL(req.url ?? "/", "http://localhost");
    const path = url.pathname;
    const qualifier = url.searchParams.get("Qualifier") ?? undefined;
    const name = (pattern: RegExp) => pattern.exec(path)?.[1];
    if (req.method === "GET" && LIST.test(path)) {
      req.resume();
      sendJson(res, 200, { Functions: this.functions.map((fn) => fn.configuration()), NextMarker: null });
      return;
    }
    const described = req.method === "GET" ? name(FUNCTION) : undefined;
    if (described !== undefined) {
      req.resume();
      const configuration = this.find(described, qualifier).configuration();
      sendJson(res, 200, {
        Configuration: configuration,
        Code: { RepositoryType: "Local", Location: `file://${configuration.FunctionName}` },
      });
      return;
    }
    // GetFunctionConfiguration: GetFunction's Configuration on its own (what `aws lambda
    // get-function-configuration` calls).
    const configured = req.method === "GET" ? name(CONFIGURATION) : undefined;
    if (configured !== undefined) {
      req.resume();
      sendJson(res, 200, this.find(configured, qualifier).configuration());
      return;
    }
    const invoked = req.method === "POST" ? name(INVOKE) : undefined;
    if (invoked !== undefined) {
      await this.invoke(this.find(invoked, qualifier), req, res);
      return;
    }
    const streamed = req.method === "POST" ? name(INVOKE_STREAM) : undefined;
    if (streamed !== undefined) {
      await this.invokeWithResponseStream(this.find(streamed, qualifier), req, res);
      return;
    }
    req.resume();
    throw new ApiError(404, "UnknownOperationException", `no Lambda operation at ${req.method} ${path}`);
  }

  private find(rawName: string, qualifier: string | undefined): ApiFunction {
    const given = decodeURIComponent(rawName);
    const parsed = FUNCTION_NAME.exec(given);
    const name = parsed?.[1] ?? given;
    const version = qualifier ?? parsed?.[2];
    const fn = this.functions.find((candidate) => candidate.name === name);
    if (!fn || (version !== undefined && version !== "$LATEST")) {
      const served = this.functions.map((f) => f.name).join(", ");
      throw new ApiError(
        404,
        "ResourceNotFoundException",
        `Function not found: arn:aws:lambda:us-east-1:000000000000:function:${name}${version ? `:${version}` : ""} (the emulator serves ${served}, at $LATEST only)`,
      );
    }
    return fn;
  }

  /**
   * The request's payload as the event: at most 6 MB (1 MB for an `Event` invocation), JSON
   * (an empty payload is `{}`).
   */
  private async readEvent(req: IncomingMessage, type = "RequestResponse"): Promise<unknown> {
    const body = await readBody(req, LIMITS.requestBytes);
    if (!body) {
      throw new ApiError(
        413,
        "RequestTooLargeException",
        `Request must be smaller than ${LIMITS.requestBytes} bytes for the InvokeFunction operation`,
      );
    }
    if (type === "Event" && body.length > LIMITS.asyncRequestBytes) {
      throw new ApiError(
        413,
        "RequestEntityTooLargeException",
        `${body.length} byte payload is too large for the Event invocation type (limit ${LIMITS.asyncRequestBytes} bytes)`,
      );
    }
    if (body.length === 0) return {};
    try {
      return JSON.parse(body.toString("utf8"));
    } catch (error) {
      throw new ApiError(
        400,
        "InvalidRequestContentException",
        `Could not parse request body into json: ${(error as Error).message}`,
      );
    }
  }

  private start(fn: ApiFunction, event: unknown): Invocation {
    try {
      return fn.pool.invoke(event);
    } catch (error) {
      if (!(error instanceof TooManyRequestsError)) throw error;
      this.config.log(`lambda api: ${fn.name} throttled: ${error.message}`);
      throw new ApiError(429, "TooManyRequestsException", "Rate Exceeded.", {
        Reason: "ReservedFunctionConcurrentInvocationLimitExceeded",
      });
    }
  }

  /** Invoke: RequestResponse answers the whole payload; Event answers 202; DryRun 204. */
  private async invoke(fn: ApiFunction, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const type = header(req, "x-amz-invocation-type") ?? "RequestResponse";
    if (!["RequestResponse", "Event", "DryRun"].includes(type)) {
      req.resume();
      throw new ApiError(
        400,
        "InvalidParameterValueException",
        `X-Amz-Invocation-Type ${type}: expected RequestResponse, Event or DryRun`,
      );
    }
    const event = await this.readEvent(req, type);
    if (type === "DryRun") {
      res.writeHead(204).end();
      return;
    }
    const invocation = this.start(fn, event);
    if (type === "Event") {
      // Queued and run; nobody reads its answer (Lambda's asynchronous invocation).
      void collect(invocation).catch(() => undefined);
      res.writeHead(202, { "x-amzn-requestid": invocation.requestId }).end();
      return;
    }
    const result = await collect(invocation);
    const headers: Record<string, string> = {
      "content-type": "application/json",
      "x-amzn-requestid": invocation.requestId,
      "x-amz-executed-version": "$LATEST",
    };
    if (result.error) headers["x-amz-function-error"] = "Unhandled";
    if (header(req, "x-amz-log-type") === "Tail") headers["x-amz-log-result"] = await logTail(invocation);
    const body = result.error ? Buffer.from(JSON.stringify(result.error)) : result.payload;
    res.writeHead(200, { ...headers, "content-length": String(body.length) }).end(body);
  }

  /**
   * InvokeWithResponseStream: an event stream (application/vnd.amazon.eventstream framing,
   * encoded by the AWS SDK's own codec) of PayloadChunk events carrying the bytes as the
   * function writes them, then one InvokeComplete. The HTTP Content-Type is the stream's
   * own content type (the API reference binds ResponseStreamContentType to Content-Type).
   */
  private async invokeWithResponseStream(
    fn: ApiFunction,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    const type = header(req, "x-amz-invocation-type") ?? "RequestResponse";
    if (!["RequestResponse", "DryRun"].includes(type)) {
      req.resume();
      throw new ApiError(
        400,
        "InvalidParameterValueException",
        `X-Amz-Invocation-Type ${type}: expected RequestResponse or DryRun (ResponseStreamingInvocationType)`,
      );
    }
    const event = await this.readEvent(req);
    if (type === "DryRun") {
      res.writeHead(204).end();
      return;
    }
    const tail = header(req, "x-amz-log-type") === "Tail";
    const invocation = this.start(fn, event);
    const outcome = await invocation.outcome;
    // What the function wrote, byte for byte: a streamified handler's HttpResponseStream
    // prelude included (only a Function URL turns it into status and headers; here the
    // client sees it, and ResponseStreamContentType tells it so). A handler that returns
    // its result (no streamifyResponse) answers it whole, in one PayloadChunk.
    const contentType =
      outcome.kind === "stream" ? outcome.contentType : outcome.kind === "result" ? "application/json" : "";
    res.writeHead(200, {
      ...(contentType ? { "content-type": contentType } : {}),
      "x-amzn-requestid": invocation.requestId,
      "x-amz-executed-version": "$LATEST",
    });
    res.flushHeaders();
    let error: FunctionError | undefined;
    if (outcome.kind === "error") error = outcome.error;
    if (outcome.kind === "result") this.send(res, payloadChunk(outcome.payload));
    if (outcome.kind === "stream") {
      res.on("close", () => {
        if (!res.writableFinished) outcome.body.destroy();
      });
      const shaped =
        fn.delivery && deliveryStage(fn.delivery, { prelude: contentType === PRELUDE_CONTENT_TYPE });
      // pipeline() destroys the stage with the body's error, so a failure mid-stream still
      // reaches the relay as the function's error.
      error = await this.relay(shaped ? pipeline(outcome.body, shaped, () => {}) : outcome.body, res);
    }
    if (res.destroyed) return;
    const complete: Record<string, string> = {};
    // The API reference says only "an error code" and "the details of any returned error":
    // the function's error type and message (assumed; listed in the README).
    if (error) {
      complete.ErrorCode = error.errorType;
      complete.ErrorDetails = error.errorMessage;
    }
    if (tail) complete.LogResult = await logTail(invocation);
    this.send(res, invokeComplete(complete));
    res.end();
  }

  /** Each chunk the function writes becomes one PayloadChunk, with backpressure. */
  private async relay(body: Readable, res: ServerResponse): Promise<FunctionError | undefined> {
    try {
      for await (const chunk of body as AsyncIterable<Buffer>) {
        if (res.destroyed) return undefined;
        if (!this.send(res, payloadChunk(chunk))) await new Promise((resolve) => res.once("drain", resolve));
      }
      return undefined;
    } catch (error) {
      if (error instanceof FunctionStreamError) return error.functionError;
      return { errorType: "Emulator.StreamError", errorMessage: (error as Error).message };
    }
  }

  private send(res: ServerResponse, message: Message): boolean {
    return res.write(this.codec.encode(message));
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The whole answer of an invocation, as Invoke returns it (6 MB at most, as on AWS). */
async function collect(invocation: Invocation): Promise<{ payload: Buffer; error?: FunctionError }> {
  const outcome = await invocation.outcome;
  if (outcome.kind === "error") return { payload: Buffer.alloc(0), error: outcome.error };
  if (outcome.kind === "result") return { payload: outcome.payload };
  let whole: Buffer | undefined;
  try {
    whole = await readWhole(outcome.body);
  } catch (error) {
    if (error instanceof FunctionStreamError) return { payload: Buffer.alloc(0), error: error.functionError };
    throw error;
  }
  return whole ? { payload: whole } : { payload: Buffer.alloc(0), error: RESPONSE_SIZE_TOO_LARGE };
}

/** The invocation's log, its last 4 KB, base64 (Invoke's X-Amz-Log-Result, InvokeComplete's LogResult). */
async function logTail(invocation: Invocation): Promise<string> {
  await invocation.reported;
  const all = Buffer.from(`${invocation.logs.join("\n")}\n`);
  return all.subarray(Math.max(0, all.length - LOG_TAIL_BYTES)).toString("base64");
}

/**
 * AWS's JSON error shape for this API (restJson1): the type in `x-amzn-ErrorType`, which
 * the SDK reads to pick the exception class, and `Type` / `message` in the body.
 */
function sendError(res: ServerResponse, error: ApiError): void {
  const body = JSON.stringify({
    Type: error.status >= 500 ? "Service" : "User",
    message: error.message,
    ...error.extra,
  });
  res
    .writeHead(error.status, {
      "content-type": "application/json",
      "x-amzn-errortype": error.type,
      "content-length": String(Buffer.byteLength(body)),
    })
    .end(body);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res
    .writeHead(status, {
      "content-type": "application/json",
      "content-length": String(Buffer.byteLength(body)),
    })
    .end(body);
}
