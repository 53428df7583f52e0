import type { IncomingMessage, ServerResponse } from "node:http";
import { readBody } from "./body.js";
import {
  type FunctionError,
  HEADER,
  LIMITS,
  RESPONSE_SIZE_TOO_LARGE,
  RUNTIME_API_PREFIX,
  STREAMING_RESPONSE_MODE,
} from "./contract.js";
import type { Invocation } from "./invocation.js";

/**
 * The Lambda Runtime API routes one execution environment serves to its runtime client
 * (AWS Lambda developer guide, "Using the Lambda runtime API for custom runtimes"):
 * `GET /invocation/next`, `POST /invocation/{id}/response` (whole, or streamed with
 * `Lambda-Runtime-Function-Response-Mode: streaming` and error trailers),
 * `POST /invocation/{id}/error` and `POST /init/error`. The instance owns the process and
 * its lifecycle; these routes only translate HTTP into what it and the invocation do.
 */
export interface RuntimeApiHost {
  /** The runtime asks for work: hold the response until there is an invocation. */
  next(res: ServerResponse): void;
  /** The handler failed to load: the instance reports it and exits. */
  initError(error: FunctionError): void;
  /** The invocation this environment runs now, if any. */
  current(): Invocation | undefined;
}

/** Room for a 6 MB payload and its JSON envelope; more is refused as too large. */
const MAX_RUNTIME_API_BODY = LIMITS.bufferedResponseBytes + 1024 * 1024;

export function runtimeApi(host: RuntimeApiHost): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const path = (req.url ?? "").startsWith(RUNTIME_API_PREFIX)
      ? (req.url ?? "").slice(RUNTIME_API_PREFIX.length)
      : "";
    if (req.method === "GET" && path === "/invocation/next") {
      host.next(res);
      return;
    }
    if (req.method === "POST" && path === "/init/error") {
      void readBody(req, MAX_RUNTIME_API_BODY).then((body) => {
        accepted(res);
        host.initError(parseError(body ?? Buffer.alloc(0), req));
      });
      return;
    }
    const match = /^\/invocation\/([^/]+)\/(response|error)$/.exec(path);
    if (req.method !== "POST" || !match) {
      res.writeHead(404, { "content-type": "application/json" }).end('{"errorType":"NotFound"}');
      return;
    }
    const invocation = host.current();
    if (!invocation || decodeURIComponent(match[1] ?? "") !== invocation.requestId || invocation.isSettled) {
      res
        .writeHead(400, { "content-type": "application/json" })
        .end('{"errorMessage":"Invalid request ID","errorType":"InvalidRequestID"}');
      req.resume();
      return;
    }
    if (match[2] === "error") {
      void readBody(req, MAX_RUNTIME_API_BODY).then((body) => {
        accepted(res);
        invocation.fail(parseError(body ?? Buffer.alloc(0), req));
      });
      return;
    }
    if (req.headers[HEADER.responseMode] === STREAMING_RESPONSE_MODE) {
      const contentType = req.headers["content-type"] ?? "application/octet-stream";
      invocation.startStream(contentType, req, () => accepted(res));
      req.on("aborted", () =>
        invocation.fail(runtimeExitError(invocation.requestId, "response stream aborted")),
      );
      return;
    }
    // A returned result is a buffered response: the same limit as a streamed body read whole.
    void readBody(req, LIMITS.bufferedResponseBytes).then((body) => {
      accepted(res);
      if (body) invocation.completeWithResult(body);
      else invocation.fail(RESPONSE_SIZE_TOO_LARGE);
    });
  };
}

function accepted(res: ServerResponse): void {
  if (!res.headersSent) res.writeHead(202, { "content-type": "application/json" }).end('{"status":"OK"}');
}

function parseError(body: Buffer, req: IncomingMessage): FunctionError {
  const headerType = req.headers[HEADER.errorType];
  try {
    const parsed = JSON.parse(body.toString("utf8")) as Partial<FunctionError>;
    return {
      errorType: String(parsed.errorType ?? headerType ?? "Unhandled"),
      errorMessage: String(parsed.errorMessage ?? ""),
      trace: Array.isArray(parsed.trace) ? parsed.trace.map(String) : [],
    };
  } catch {
    return { errorType: String(headerType ?? "Unhandled"), errorMessage: body.toString("utf8") };
  }
}

export function runtimeExitError(requestId: string, detail: string): FunctionError {
  return { errorType: "Runtime.ExitError", errorMessage: `RequestId: ${requestId} Error: ${detail}` };
}
