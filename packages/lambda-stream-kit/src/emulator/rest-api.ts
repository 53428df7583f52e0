import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { type Readable, Transform, type TransformCallback, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { RestEndpointType } from "../functions.js";
import { closeServer, listenOn } from "../listen.js";
import { readBody } from "./body.js";
import { LIMITS, PRELUDE_CONTENT_TYPE } from "./contract.js";
import { type DeliverySpec, deliveryStage } from "./delivery/index.js";
import { isTextContentType } from "./event.js";
import { FunctionStreamError, newTraceId } from "./invocation.js";
import { type FunctionPool, TooManyRequestsError } from "./pool.js";
import { type PreludeMetadata, PreludeSplitter } from "./prelude.js";
import { AwsStreamLimits } from "./stream-limits.js";

export interface RestApiConfig {
  host: string;
  port: number;
  stageName: string;
  endpointType: RestEndpointType;
  /** API Gateway's stream limits: 10 MB then 2 MB/s, the idle timeout, 15 minutes in all. */
  awsLimits: boolean;
  delivery?: DeliverySpec | undefined;
  log: (line: string) => void;
}

/**
 * What API Gateway answers when the function's answer is not a streamed proxy response
 * (no metadata and delimiter, a failed invocation). Assumed, the one place it is: API Gateway
 * documents that streaming starts "after it receives valid metadata and the delimiter" and a
 * Lambda proxy integration's malformed or failed response is a 502 with this body (its
 * default gateway response for integration failures); not confirmed for STREAM.
 */
export const REST_BAD_GATEWAY = '{"message": "Internal server error"}';
/** A path outside the stage (API Gateway's answer for a route it does not have). */
export const REST_NO_ROUTE = '{"message":"Missing Authentication Token"}';

/**
 * A REST API door: requests under `/<stage>/` become the Lambda proxy integration's event
 * (API Gateway developer guide, "Input format of a Lambda function for proxy integration"),
 * the function is invoked through its streaming path, and its metadata (status, headers,
 * multiValueHeaders, cookies) becomes the status line and headers, the rest the body, relayed
 * as it arrives.
 */
export class RestApiFrontEnd {
  private readonly server: Server;
  private readonly apiId = randomBytes(5).toString("hex");

  constructor(
    private readonly pool: FunctionPool,
    private readonly config: RestApiConfig,
  ) {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: Error) => {
        config.log(`rest api: ${error.stack ?? error.message}`);
        if (!res.headersSent) sendJson(res, 502, REST_BAD_GATEWAY);
        else res.destroy();
      });
    });
    this.server.requestTimeout = 0;
    this.server.headersTimeout = 60_000;
  }

  /** Listens and resolves the stage's URL, as the stack's restApiUrls output gives it. */
  async listen(): Promise<string> {
    return `${await listenOn(this.server, this.config.host, this.config.port)}/${this.config.stageName}/`;
  }

  close(): Promise<void> {
    return closeServer(this.server);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    res.setHeader("x-amzn-RequestId", requestId);
    const url = new URL(req.url ?? "/", "http://localhost");
    const prefix = `/${this.config.stageName}`;
    if (url.pathname !== prefix && !url.pathname.startsWith(`${prefix}/`)) {
      req.resume();
      sendJson(res, 403, REST_NO_ROUTE);
      return;
    }
    const body = await readBody(req, LIMITS.requestBytes);
    if (!body) {
      sendJson(res, 413, '{"message":"Request Entity Too Large"}');
      return;
    }
    const traceId = newTraceId();
    const event = buildRestApiEvent(req, body, {
      requestId,
      apiId: this.apiId,
      stage: this.config.stageName,
      path: url.pathname.slice(prefix.length) || "/",
      search: url.searchParams,
    });
    let invocation: ReturnType<FunctionPool["invoke"]>;
    try {
      invocation = this.pool.invoke(event, requestId, traceId);
    } catch (error) {
      if (!(error instanceof TooManyRequestsError)) throw error;
      sendJson(res, 429, '{"message":"Too Many Requests"}');
      return;
    }
    const outcome = await invocation.outcome;
    if (outcome.kind === "error") {
      this.config.log(`${requestId} function failed before its first byte (${outcome.error.errorType}): 502`);
      sendJson(res, 502, REST_BAD_GATEWAY);
      return;
    }
    if (outcome.kind === "result" || outcome.contentType !== PRELUDE_CONTENT_TYPE) {
      this.config.log(
        `${requestId} the function answered without the metadata and delimiter a REST API's streamed proxy integration requires: 502 (use awslambda.HttpResponseStream.from(stream, { statusCode, headers }) before the first write)`,
      );
      if (outcome.kind === "stream") outcome.body.resume();
      sendJson(res, 502, REST_BAD_GATEWAY);
      return;
    }
    await this.relay(requestId, outcome.body, res);
  }

  private async relay(requestId: string, body: Readable, res: ServerResponse): Promise<void> {
    let head: PreludeMetadata | undefined;
    const stages: Transform[] = [];
    const shaped = this.config.delivery && deliveryStage(this.config.delivery, { prelude: true });
    if (shaped) stages.push(shaped);
    stages.push(
      new PreludeSplitter((metadata) => {
        if (!Number.isInteger(metadata.statusCode) || metadata.statusCode < 200 || metadata.statusCode > 599)
          throw new Error(`status ${metadata.statusCode} is not a final HTTP status`);
        head = metadata;
      }),
    );
    if (this.config.awsLimits) {
      stages.push(
        new AwsStreamLimits({
          maxBytes: Number.POSITIVE_INFINITY,
          burstBytes: LIMITS.restBurstBytes,
          bytesPerSecond: LIMITS.restBytesPerSecond,
        }),
        new IdleAndDurationLimit(LIMITS.restIdleMs[this.config.endpointType], LIMITS.restMaxDurationMs),
      );
    }
    res.on("close", () => {
      if (!res.writableFinished) body.destroy();
    });
    const sink = new Writable({
      write: (chunk: Buffer, _encoding, callback) => {
        sendHead(res, head);
        if (res.write(chunk)) callback();
        else res.once("drain", () => callback());
      },
      final: (callback) => {
        sendHead(res, head);
        res.end(() => callback());
      },
    });
    try {
      await pipeline([body, ...stages, sink]);
    } catch (error) {
      if (res.destroyed && !(error instanceof FunctionStreamError)) return;
      const detail =
        error instanceof FunctionStreamError
          ? `${error.functionError.errorType}: ${error.functionError.errorMessage}`
          : (error as Error).message;
      this.config.log(`${requestId} stream failed: ${detail}`);
      if (!res.headersSent) sendJson(res, 502, REST_BAD_GATEWAY);
      else res.destroy();
    }
  }
}

/** The status line and headers, from the metadata: headers, then multiValueHeaders, cookies. */
function sendHead(res: ServerResponse, head: PreludeMetadata | undefined): void {
  if (res.headersSent || !head) return;
  for (const [name, value] of Object.entries(head.headers)) res.setHeader(name, value);
  for (const [name, values] of Object.entries(head.multiValueHeaders ?? {})) res.setHeader(name, values);
  if (head.cookies.length > 0) res.setHeader("set-cookie", head.cookies);
  res.writeHead(head.statusCode);
  res.flushHeaders();
}

function sendJson(res: ServerResponse, status: number, json: string): void {
  if (res.destroyed) return;
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(json) });
  res.end(json);
}

/** API Gateway's idle timeout (no byte for this long ends it) and its 15-minute ceiling. */
export class IdleAndDurationLimit extends Transform {
  private idle: NodeJS.Timeout | undefined;
  private readonly started = performance.now();

  constructor(
    private readonly idleMs: number,
    private readonly maxMs: number,
  ) {
    super();
    this.arm();
  }

  private arm(): void {
    clearTimeout(this.idle);
    this.idle = setTimeout(
      () => this.destroy(new Error(`no byte for ${this.idleMs / 1000} s: the REST API's idle timeout`)),
      this.idleMs,
    );
    this.idle.unref();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (performance.now() - this.started > this.maxMs) {
      callback(new Error("the response ran past the REST API's 15 minutes"));
      return;
    }
    this.arm();
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    clearTimeout(this.idle);
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    clearTimeout(this.idle);
    callback(error);
  }
}

/** The REST proxy event for one request (payload format 1.0, as API Gateway documents it). */
export function buildRestApiEvent(
  req: IncomingMessage,
  body: Buffer,
  context: { requestId: string; apiId: string; stage: string; path: string; search: URLSearchParams },
) {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i] as string;
    const value = req.rawHeaders[i + 1] as string;
    headers[name] = value;
    multiValueHeaders[name] = [...(multiValueHeaders[name] ?? []), value];
  }
  const multiQuery: Record<string, string[]> = {};
  for (const [key, value] of context.search) multiQuery[key] = [...(multiQuery[key] ?? []), value];
  const query = Object.fromEntries(
    Object.entries(multiQuery).map(([key, values]) => [key, values.at(-1) ?? ""]),
  );
  const proxy = context.path.replace(/^\//, "");
  const resource = proxy ? "/{proxy+}" : "/";
  const method = req.method ?? "GET";
  const text = body.length === 0 || isTextContentType(req.headers["content-type"]);
  return {
    resource,
    path: context.path,
    httpMethod: method,
    headers,
    multiValueHeaders,
    queryStringParameters: Object.keys(query).length > 0 ? query : null,
    multiValueQueryStringParameters: Object.keys(multiQuery).length > 0 ? multiQuery : null,
    pathParameters: proxy ? { proxy } : null,
    stageVariables: null,
    requestContext: {
      accountId: "000000000000",
      apiId: context.apiId,
      resourceId: proxy ? "proxy" : "root",
      resourcePath: resource,
      stage: context.stage,
      requestId: context.requestId,
      extendedRequestId: context.requestId,
      httpMethod: method,
      path: `/${context.stage}${context.path}`,
      protocol: `HTTP/${req.httpVersion}`,
      identity: {
        sourceIp: req.socket.remoteAddress ?? "127.0.0.1",
        userAgent: req.headers["user-agent"] ?? null,
      },
      domainName: req.headers.host ?? "localhost",
      requestTimeEpoch: Date.now(),
    },
    body: body.length === 0 ? null : text ? body.toString("utf8") : body.toString("base64"),
    isBase64Encoded: !text,
  };
}
