/**
 * The Lambda contract in one place: Runtime API paths and headers, the
 * HttpResponseStream prelude and AWS's limits. Facts from the AWS Lambda developer guide
 * ("Using the Lambda runtime API for custom runtimes", "Response streaming", "Lambda quotas")
 * and aws/aws-lambda-nodejs-runtime-interface-client (src/HttpResponseStream.js).
 * The front end, the Runtime API server and the built-in runtime client all import it.
 */
import { TIMEOUT_S } from "../contract.js";

export const RUNTIME_API_PREFIX = "/2018-06-01/runtime";

export const HEADER = {
  requestId: "lambda-runtime-aws-request-id",
  deadlineMs: "lambda-runtime-deadline-ms",
  functionArn: "lambda-runtime-invoked-function-arn",
  traceId: "lambda-runtime-trace-id",
  responseMode: "lambda-runtime-function-response-mode",
  errorType: "lambda-runtime-function-error-type",
  errorBody: "lambda-runtime-function-error-body",
} as const;

export const STREAMING_RESPONSE_MODE = "streaming";
export const DEFAULT_STREAM_CONTENT_TYPE = "application/octet-stream";

// The HttpResponseStream prelude's content type and delimiter: defined beside the handler
// code that writes it (src/handler/streamify.ts), read here by the front end.
export { PRELUDE_CONTENT_TYPE, PRELUDE_DELIMITER_LENGTH } from "../handler/streamify.js";

const MiB = 1024 * 1024;
export const LIMITS = {
  /** Request payload, both invoke modes. */
  requestBytes: 6 * MiB,
  /**
   * An asynchronous (`Event`) invocation's payload: 1 MB since October 2025, 256 KB before
   * (AWS Compute Blog, 2026-01-29); AWS's error then reads "<n> byte payload is too large for
   * the Event invocation type (limit <limit> bytes)".
   */
  asyncRequestBytes: MiB,
  /**
   * A buffered response, whichever way it is made (a returned result, a streamed body read
   * whole): Lambda's own error names the figure, "Response payload size exceeded maximum
   * allowed payload size (6291556 bytes)", 6 MiB + 100 (also the Runtime Interface Emulator's).
   */
  bufferedResponseBytes: 6 * MiB + 100,
  /** A RESPONSE_STREAM response, since 2025 (20 MB at launch in 2023). */
  streamedResponseBytes: 200 * 1000 * 1000,
  /** Streamed bytes sent at full speed before the bandwidth cap applies. */
  streamBurstBytes: 6 * MiB,
  /** Bandwidth after the burst, bytes per second. */
  streamBytesPerSecond: 2 * MiB,
  maxTimeoutSeconds: TIMEOUT_S.max,
  /** A REST API door's stream: the first 10 MB unthrottled, then 2 MB/s (API Gateway quotas). */
  restBurstBytes: 10 * MiB,
  restBytesPerSecond: 2 * MiB,
  /** A REST API door's idle timeout: 5 minutes for regional and private endpoints, 30 s for edge. */
  restIdleMs: { REGIONAL: 300_000, PRIVATE: 300_000, EDGE: 30_000 },
  /** The longest a REST API door streams one response: 15 minutes. */
  restMaxDurationMs: 900_000,
} as const;

export interface FunctionError {
  errorType: string;
  errorMessage: string;
  trace?: string[];
}

/** Lambda's error for a result over the buffered limit (Runtime API and Invoke alike). */
export const RESPONSE_SIZE_TOO_LARGE: FunctionError = {
  errorType: "Function.ResponseSizeTooLarge",
  errorMessage: `Response payload size exceeded maximum allowed payload size (${LIMITS.bufferedResponseBytes} bytes).`,
};

export function toFunctionError(error: unknown): FunctionError {
  if (error instanceof Error) {
    return { errorType: error.name, errorMessage: error.message, trace: error.stack?.split("\n") ?? [] };
  }
  return { errorType: "Error", errorMessage: String(error), trace: [] };
}
