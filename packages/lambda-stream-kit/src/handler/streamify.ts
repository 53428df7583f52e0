/**
 * The marker the Lambda runtime reads to call a handler in streaming mode
 * (aws-lambda-nodejs-runtime-interface-client, UserFunctionLoader). Shared with the
 * emulator's built-in runtime client so both sides agree on one definition.
 */
export const STREAMING_MARKER = Symbol.for("aws.lambda.runtime.handler.streaming");
export const HIGH_WATER_MARK_MARKER = Symbol.for("aws.lambda.runtime.handler.streaming.highWaterMark");
export const STREAM_RESPONSE = "response";

/**
 * The runtime's `awslambda`, only where it is the runtime's: the AWS SDK v3 (through
 * @aws/lambda-invoke-store, which does `globalThis.awslambda = globalThis.awslambda || {}`
 * and adds its InvokeStore) creates the global in plain Node too, without these functions.
 */
function runtimeGlobal(): awslambda.Global | undefined {
  const runtime = globalThis.awslambda as Partial<awslambda.Global> | undefined;
  return typeof runtime?.streamifyResponse === "function" &&
    typeof runtime.HttpResponseStream?.from === "function"
    ? (runtime as awslambda.Global)
    : undefined;
}

/**
 * `awslambda.streamifyResponse` where the runtime provides it, else a local fallback that
 * sets the same marker, so the module also imports in plain Node (unit tests, tools).
 */
export function streamify<TEvent>(
  handler: awslambda.StreamingHandler<TEvent>,
  options?: { highWaterMark?: number },
): awslambda.StreamingHandler<TEvent> {
  const runtime = runtimeGlobal();
  return runtime ? runtime.streamifyResponse(handler, options) : markStreaming(handler, options);
}

/** What `streamifyResponse` does: set the markers the runtime reads (also the built-in client's). */
export function markStreaming<TEvent>(
  handler: awslambda.StreamingHandler<TEvent>,
  options?: { highWaterMark?: number },
): awslambda.StreamingHandler<TEvent> {
  const marked = handler as awslambda.StreamingHandler<TEvent> & Record<symbol, unknown>;
  marked[STREAMING_MARKER] = STREAM_RESPONSE;
  if (typeof options?.highWaterMark === "number") marked[HIGH_WATER_MARK_MARKER] = options.highWaterMark;
  return marked;
}

/** `HttpResponseStream.from()` marks its stream with this content type ... */
export const PRELUDE_CONTENT_TYPE = "application/vnd.awslambda.http-integration-response";
/** ... and ends the JSON prelude with this many NUL bytes (the runtime client's DELIMITER_LEN). */
export const PRELUDE_DELIMITER_LENGTH = 8;

/**
 * `awslambda.HttpResponseStream.from` where the runtime provides it: the Function URL turns
 * `metadata` into the response's status line and headers. In plain Node (unit tests) a
 * local stand-in sends the same prelude (JSON, then 8 NUL bytes) before the body.
 */
export function httpResponseStream(
  stream: awslambda.ResponseStream,
  metadata: awslambda.HttpResponseMetadata,
): awslambda.ResponseStream {
  const runtime = runtimeGlobal();
  if (runtime) return runtime.HttpResponseStream.from(stream, metadata);
  stream.setContentType(PRELUDE_CONTENT_TYPE);
  stream.write(JSON.stringify(metadata));
  stream.write(new Uint8Array(PRELUDE_DELIMITER_LENGTH));
  return stream;
}
