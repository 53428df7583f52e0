import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { type Readable, type Transform, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { InvokeMode, UrlCors } from "../contract.js";
import { closeServer, listenOn } from "../listen.js";
import { readBody } from "./body.js";
import { DEFAULT_STREAM_CONTENT_TYPE, LIMITS, PRELUDE_CONTENT_TYPE } from "./contract.js";
import { isPreflight, preflightHeaders, responseHeaders } from "./cors.js";
import { type DeliverySpec, deliveryStage } from "./delivery/index.js";
import { buildFunctionUrlEvent, type HttpResult, httpResultFromPayload } from "./event.js";
import { FunctionStreamError, type Invocation, newTraceId, readWhole } from "./invocation.js";
import { type FunctionPool, TooManyRequestsError } from "./pool.js";
import { PreludeSplitter, splitPrelude } from "./prelude.js";
import { AwsStreamLimits } from "./stream-limits.js";

export type { InvokeMode };

export interface FrontEndConfig {
  invokeMode: InvokeMode;
  host: string;
  port: number;
  /** Enforce the 200 MB stream cap and the 2 MiB/s bandwidth after the first 6 MiB. */
  awsLimits: boolean;
  /** The URL's CORS; none when undefined (AWS's default). */
  cors?: UrlCors | undefined;
  /** How the Lambda service passes the runtime's writes on (default: as written). */
  delivery?: DeliverySpec | undefined;
  log: (line: string) => void;
}

/** Responses whose CORS headers the URL sets: the function's own are dropped. */
const urlCors = new WeakSet<ServerResponse>();

/**
 * The Function URL: turns each HTTP request into a payload 2.0 event, invokes the
 * function through the pool and relays what it answers, streamed or buffered as the
 * invoke mode says.
 */
export class FunctionUrlFrontEnd {
  private readonly server: Server;
  private readonly urlId = randomBytes(16).toString("hex").slice(0, 32);

  constructor(
    private readonly pool: FunctionPool,
    private readonly config: FrontEndConfig,
  ) {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: Error) => {
        config.log(`front end: ${error.stack ?? error.message}`);
        if (!res.headersSent) sendBadGateway(res);
        else res.destroy();
      });
    });
    // Streams may legitimately run for up to 900 s.
    this.server.requestTimeout = 0;
    this.server.headersTimeout = 60_000;
  }

  /** Listens and resolves the URL (with the real port when 0 was asked). */
  async listen(): Promise<string> {
    return `${await listenOn(this.server, this.config.host, this.config.port)}/`;
  }

  close(): Promise<void> {
    return closeServer(this.server);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    res.setHeader("x-amzn-RequestId", requestId);
    const { cors } = this.config;
    if (cors) {
      // The Function URL answers a preflight itself; the function never sees it.
      if (isPreflight(req.method, req.headers)) {
        req.resume();
        for (const [name, value] of Object.entries(preflightHeaders(cors, req.headers)))
          res.setHeader(name, value);
        res.writeHead(200, { "content-length": "0" }).end();
        return;
      }
      urlCors.add(res);
      for (const [name, value] of Object.entries(responseHeaders(cors, req.headers.origin)))
        res.setHeader(name, value);
    }
    const body = await readBody(req, LIMITS.requestBytes);
    const traceId = newTraceId();
    const event = body && buildFunctionUrlEvent(req, body, { requestId, urlId: this.urlId, traceId });
    // The limit is the invocation's payload, the event: a binary body grows by a third in
    // base64, and headers count too (Lambda quotas: 6 MB per synchronous request).
    if (!event || Buffer.byteLength(JSON.stringify(event)) > LIMITS.requestBytes) {
      sendJson(res, 413, '{"message":"Request Entity Too Large"}');
      return;
    }
    let invocation: Invocation;
    try {
      invocation = this.pool.invoke(event, requestId, traceId);
    } catch (error) {
      if (!(error instanceof TooManyRequestsError)) throw error;
      this.config.log(`${requestId} throttled: ${error.message}`);
      sendJson(res, 429, '{"message":"Rate Exceeded."}');
      return;
    }
    res.setHeader("X-Amzn-Trace-Id", invocation.traceId);
    // Closing the connection never stops the function (as on AWS); it only stops the relay.
    const outcome = await invocation.outcome;
    if (outcome.kind === "error") {
      this.config.log(`${requestId} function failed before its first byte (${outcome.error.errorType}): 502`);
      sendBadGateway(res);
      return;
    }
    if (outcome.kind === "result") {
      const result = httpResultFromPayload(outcome.payload);
      for (const field of result.ignored ?? []) {
        this.config.log(
          `${requestId} ${field} ignored: it is API Gateway's (REST proxy format); a Function URL reads headers and cookies (use headers, comma-joined, and cookies for Set-Cookie)`,
        );
      }
      if (!this.finalStatus(requestId, result.statusCode)) return sendBadGateway(res);
      sendWhole(res, result);
      return;
    }
    if (this.config.invokeMode === "BUFFERED") {
      await this.relayBuffered(requestId, outcome.contentType, outcome.body, res);
    } else {
      await this.relayStream(requestId, outcome.contentType, outcome.body, res);
    }
  }

  private async relayBuffered(requestId: string, contentType: string, body: Readable, res: ServerResponse) {
    let whole: Buffer | undefined;
    try {
      whole = await readWhole(body);
    } catch (error) {
      this.logStreamFailure(requestId, error);
      sendBadGateway(res);
      return;
    }
    if (!whole) {
      this.config.log(
        `${requestId} response exceeded the BUFFERED limit of ${LIMITS.bufferedResponseBytes} bytes: 502 ` +
          "(use invoke mode RESPONSE_STREAM for larger responses)",
      );
      sendBadGateway(res);
      return;
    }
    let result: HttpResult = {
      statusCode: 200,
      headers: { "content-type": contentType },
      cookies: [],
      body: whole,
    };
    if (contentType === PRELUDE_CONTENT_TYPE) {
      try {
        const { metadata, rest } = splitPrelude(whole);
        result = { ...metadata, body: rest };
      } catch (error) {
        this.logStreamFailure(requestId, error);
        sendBadGateway(res);
        return;
      }
    }
    if (!this.finalStatus(requestId, result.statusCode)) return sendBadGateway(res);
    sendWhole(res, result);
  }

  private async relayStream(requestId: string, contentType: string, body: Readable, res: ServerResponse) {
    const head: HeadSource = { statusCode: 200, headers: { "content-type": contentType }, cookies: [] };
    const stages: Transform[] = [];
    // The service shapes the runtime's writes as they come, prelude and all, before the URL
    // splits the prelude off.
    const prelude = contentType === PRELUDE_CONTENT_TYPE;
    const shaped = this.config.delivery && deliveryStage(this.config.delivery, { prelude });
    if (shaped) stages.push(shaped);
    if (prelude) {
      head.headers = {};
      stages.push(
        new PreludeSplitter((metadata) => {
          // Thrown here, before the head goes out: the pipeline fails and the client gets a 502.
          if (!this.finalStatus(requestId, metadata.statusCode))
            throw new BadStatusError(metadata.statusCode);
          Object.assign(head, metadata);
        }),
      );
    }
    if (this.config.awsLimits) stages.push(new AwsStreamLimits());
    const sink = new ResponseSink(res, head);
    // A client that leaves must not stall the function: stop relaying, keep draining.
    res.on("close", () => {
      if (!res.writableFinished) body.destroy();
    });
    try {
      await pipeline([body, ...stages, sink]);
    } catch (error) {
      if (res.destroyed && !(error instanceof FunctionStreamError)) return; // the client left
      if (!(error instanceof BadStatusError)) this.logStreamFailure(requestId, error);
      if (!res.headersSent) {
        sendBadGateway(res);
      } else {
        // Status and some bytes are already out: cut the chunked body without its last
        // chunk, so the client can tell the stream is incomplete.
        res.destroy();
      }
    }
  }

  /**
   * A status the function may answer: a final HTTP status, 200 to 599. A 1xx is not a final
   * answer (the client would wait for one) and 600+ is no HTTP status. AWS documents no answer
   * for either; assumed: 502, with one line naming the status.
   */
  private finalStatus(requestId: string, status: number): boolean {
    if (Number.isInteger(status) && status >= 200 && status <= 599) return true;
    this.config.log(
      `${requestId} the function answered status ${status}, which is not a final HTTP status (200 to 599): 502`,
    );
    return false;
  }

  private logStreamFailure(requestId: string, error: unknown): void {
    const detail =
      error instanceof FunctionStreamError
        ? `${error.functionError.errorType}: ${error.functionError.errorMessage}`
        : error instanceof Error
          ? error.message
          : String(error);
    this.config.log(`${requestId} stream failed: ${detail}`);
  }
}

/** A prelude's status that is no final HTTP status (already logged by finalStatus). */
class BadStatusError extends Error {
  constructor(status: number) {
    super(`status ${status} is not a final HTTP status`);
    this.name = "BadStatusError";
  }
}

interface HeadSource {
  statusCode: number;
  headers: Record<string, string>;
  cookies: string[];
}

/** Writes to the HTTP response with backpressure, sending the head with the first byte. */
class ResponseSink extends Writable {
  constructor(
    private readonly res: ServerResponse,
    private readonly head: HeadSource,
  ) {
    super();
  }

  private sendHead(): void {
    if (this.res.headersSent) return;
    writeHead(this.res, this.head.statusCode, this.head.headers, this.head.cookies);
    this.res.flushHeaders();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.sendHead();
    if (this.res.write(chunk)) callback();
    else this.res.once("drain", () => callback());
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.sendHead();
    this.res.end(() => callback());
  }
}

function writeHead(
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  cookies: string[],
): void {
  for (const [name, value] of Object.entries(headers)) {
    if (urlCors.has(res) && name.toLowerCase().startsWith("access-control-")) continue;
    res.setHeader(name, value);
  }
  if (cookies.length > 0) res.setHeader("set-cookie", cookies);
  if (!res.hasHeader("content-type") && status !== 204 && status !== 304) {
    res.setHeader("content-type", DEFAULT_STREAM_CONTENT_TYPE);
  }
  res.writeHead(status);
}

/** The Function URL front end's own answers (413, 429, 502): a small JSON body. */
function sendJson(res: ServerResponse, statusCode: number, json: string) {
  sendWhole(res, {
    statusCode,
    headers: { "content-type": "application/json" },
    cookies: [],
    body: Buffer.from(json),
  });
}

/** What a Function URL answers when the function failed: 502 with API Gateway's JSON body. */
function sendBadGateway(res: ServerResponse) {
  sendJson(res, 502, '{"message":"Internal Server Error"}');
}

/** A whole response (buffered results and the front end's own answers), with its length. */
function sendWhole(res: ServerResponse, result: HttpResult) {
  if (res.destroyed) return;
  res.setHeader("content-length", result.body.length);
  writeHead(res, result.statusCode, result.headers, result.cookies);
  res.end(result.body);
}
