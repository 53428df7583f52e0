import { Readable } from "node:stream";
import type { InvokeWithResponseStreamResponseEvent } from "@aws-sdk/client-lambda";
import { invokeComplete } from "../invoke-events.js";
import { type Arrival, ArrivalLines, type Attempt, CURL_EXIT, curlInfo } from "./measure.js";

/**
 * The check's second door: Lambda's InvokeWithResponseStream through the AWS SDK, the way
 * a user's own SDK code reads a stream. Its answer is put in the same terms as curl's
 * (lines stamped as each PayloadChunk is yielded, a status, an exit code), so one
 * evaluator judges both doors with the same cadence assertions.
 */
export interface InvokeTarget {
  /** The deployed function's name (locally: the row's name). */
  functionName: string;
  region: string;
  /** A Lambda API of this machine's (npm start's), with the credentials any emulator takes. */
  local?: { endpoint: string };
}

/** What the emulator's Lambda API accepts: any credentials. */
const LOCAL_CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" };

export interface InvokeOptions {
  maxTimeS: number;
  onArrival?: (arrival: Arrival, index: number) => void;
  env?: NodeJS.ProcessEnv;
}

/** The URL the SDK calls: AWS_ENDPOINT_URL_LAMBDA (what the SDKs read) or the regional endpoint. */
export function invokeUrl(target: InvokeTarget, env: NodeJS.ProcessEnv = process.env): string {
  const endpoint = (
    target.local?.endpoint ||
    env.AWS_ENDPOINT_URL_LAMBDA ||
    `https://lambda.${target.region}.amazonaws.com`
  ).replace(/\/$/, "");
  return `${endpoint}/2021-11-15/functions/${encodeURIComponent(target.functionName)}/response-streaming-invocations`;
}

/** An event as the SDK yielded it, with the time since the call started. */
export interface TimedEvent {
  atMs: number;
  event: InvokeWithResponseStreamResponseEvent;
}

/**
 * Turns the SDK's answer into an Attempt, event by event: each PayloadChunk is one read;
 * lines are cut at newlines as curl's are; an InvokeComplete with an ErrorCode means the
 * function cut the stream short (there is no HTTP status to change once streaming began).
 */
export class EventLines {
  private readonly lines: ArrivalLines;
  private lastMs = 0;
  private complete: TimedEvent["event"]["InvokeComplete"];

  constructor(onArrival?: (arrival: Arrival, index: number) => void) {
    this.lines = new ArrivalLines(onArrival);
  }

  add({ atMs, event }: TimedEvent): void {
    this.lastMs = atMs;
    if (event.InvokeComplete) this.complete = event.InvokeComplete;
    const payload = event.PayloadChunk?.Payload;
    if (payload && payload.length > 0) this.lines.push(atMs, Buffer.from(payload));
  }

  attempt(status: number, contentType: string): Attempt {
    const failed = this.complete?.ErrorCode;
    const ended = this.complete !== undefined;
    const { arrivals, tail, bytesReceived, firstByteMs, reads } = this.lines;
    return {
      arrivals,
      tail,
      bytesReceived,
      firstByteMs,
      reads,
      curl: curlInfo({
        transport: "sdk",
        httpCode: status,
        contentType,
        exitCode: failed || !ended ? CURL_EXIT.partial : CURL_EXIT.ok,
        error: failed
          ? `InvokeComplete ErrorCode ${failed}: ${this.complete?.ErrorDetails ?? ""}`.trim()
          : ended
            ? ""
            : "the event stream ended without InvokeComplete",
        timeStartTransferMs: firstByteMs ?? 0,
        timeTotalMs: this.lastMs,
        sizeDownload: bytesReceived,
      }),
    };
  }
}

/** A whole answer at once (tests, and the same rules as the live path). */
export function attemptFromEvents(
  status: number,
  contentType: string,
  events: readonly TimedEvent[],
): Attempt {
  const lines = new EventLines();
  for (const event of events) lines.add(event);
  return lines.attempt(status, contentType);
}

/** A call that failed before any event: the HTTP status AWS answered, or curl's code for the network failure. */
export function attemptFromError(error: unknown, atMs: number): Attempt {
  const e = error as Error & {
    $metadata?: { httpStatusCode?: number };
    code?: string;
    cause?: { code?: string };
  };
  const status = e.$metadata?.httpStatusCode ?? 0;
  const code = e.code ?? e.cause?.code ?? "";
  const exitCode =
    status > 0
      ? CURL_EXIT.ok
      : code === "ECONNREFUSED"
        ? CURL_EXIT.couldNotConnect
        : code === "ENOTFOUND" || code === "EAI_AGAIN"
          ? CURL_EXIT.couldNotResolve
          : e.name === "TimeoutError" || e.name === "AbortError"
            ? CURL_EXIT.timedOut
            : CURL_EXIT.receiveError;
  const hint =
    e.name === "CredentialsProviderError"
      ? " (set AWS credentials in the environment; in CI: configure-aws-credentials)"
      : "";
  return {
    arrivals: [],
    // What AWS answered, as curl would show an error response's body.
    tail: Buffer.from(`${e.name}: ${e.message}`),
    bytesReceived: 0,
    firstByteMs: undefined,
    curl: curlInfo({
      transport: "sdk",
      httpCode: status,
      exitCode,
      error: `${e.name}: ${e.message}${hint}`,
      timeTotalMs: atMs,
    }),
  };
}

type Sdk = typeof import("@aws-sdk/client-lambda");
let sdk: Promise<Sdk> | undefined;
const loadSdk = () => {
  sdk ??= import("@aws-sdk/client-lambda");
  return sdk;
};

/**
 * Loads the SDK and runs one whole call through it before anything is timed, answered here
 * instead of by the network. The first call of a process blocks the event loop for 30 ms
 * idle and 120 ms on a busy machine (module loading, endpoint rules, signing, the event
 * stream reader); a second call for 6 ms. Every stream measured beside it is stamped on
 * this event loop (the URLs are timed before the SDK, see checkByDoor; the other SDK rows
 * beside it), and a stall there holds back one line and shortens the next gap. Loaded on
 * use: other checks do not pay for it at start-up. True when the warm-up call went all the
 * way to the (local) answer.
 */
export async function prepareInvoke(target: InvokeTarget): Promise<boolean> {
  const [{ InvokeWithResponseStreamCommand, LambdaClient }, { EventStreamCodec }, { fromUtf8, toUtf8 }] =
    await Promise.all([loadSdk(), import("@smithy/eventstream-codec"), import("@smithy/util-utf8")]);
  // What Lambda answers a stream that ended cleanly: one InvokeComplete event, nothing else.
  const complete = new EventStreamCodec(toUtf8, fromUtf8).encode(invokeComplete({}));
  let called = false;
  const client = new LambdaClient({
    region: target.region,
    maxAttempts: 1,
    requestHandler: {
      handle: async () => {
        called = true;
        return {
          response: {
            statusCode: 200,
            headers: { "content-type": "application/vnd.amazon.eventstream" },
            body: Readable.from([Buffer.from(complete)]),
          },
        };
      },
    },
  });
  try {
    const response = await client.send(
      new InvokeWithResponseStreamCommand({ FunctionName: target.functionName, Payload: "{}" }),
    );
    for await (const _ of response.EventStream ?? []);
  } catch {
    // Missing credentials and the like fail the same way in the real call, which reports them
    // in the check's terms; the warm-up only has to have run.
  } finally {
    client.destroy();
  }
  return called;
}

/** One InvokeWithResponseStream call, every event stamped as the SDK yields it. */
export async function invokeOnce(target: InvokeTarget, options: InvokeOptions): Promise<Attempt> {
  const { InvokeWithResponseStreamCommand, LambdaClient } = await loadSdk();
  // One attempt per call: the check's own loop decides what to retry (403, 429, 5xx).
  const client = new LambdaClient({
    region: target.region,
    maxAttempts: 1,
    ...(target.local ? { endpoint: target.local.endpoint, credentials: LOCAL_CREDENTIALS } : {}),
  });
  const started = performance.now();
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), options.maxTimeS * 1000);
  const lines = new EventLines(options.onArrival);
  let events = 0;
  try {
    const response = await client.send(
      new InvokeWithResponseStreamCommand({ FunctionName: target.functionName, Payload: "{}" }),
      { abortSignal: abort.signal },
    );
    for await (const event of response.EventStream ?? []) {
      events++;
      lines.add({ atMs: performance.now() - started, event });
    }
    const attempt = lines.attempt(response.StatusCode ?? 200, response.ResponseStreamContentType ?? "");
    // Lambda's request id (x-amzn-RequestId), the one its log lines carry.
    if (response.$metadata.requestId) attempt.curl.requestId = response.$metadata.requestId;
    return attempt;
  } catch (error) {
    const timedOut = abort.signal.aborted;
    if (events > 0) {
      const cut = lines.attempt(200, "");
      cut.curl.exitCode = timedOut ? CURL_EXIT.timedOut : CURL_EXIT.receiveError;
      cut.curl.error = timedOut ? "" : `${(error as Error).name}: ${(error as Error).message}`;
      return cut;
    }
    const failed = attemptFromError(error, performance.now() - started);
    if (timedOut) failed.curl.exitCode = CURL_EXIT.timedOut;
    return failed;
  } finally {
    clearTimeout(timer);
    client.destroy();
  }
}
