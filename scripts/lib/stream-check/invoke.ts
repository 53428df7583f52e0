import type { InvokeWithResponseStreamResponseEvent } from "@aws-sdk/client-lambda";
import type { Arrival, Attempt, CurlInfo } from "./measure.js";

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
}

export interface InvokeOptions {
  maxTimeS: number;
  onArrival?: (arrival: Arrival, index: number) => void;
  env?: NodeJS.ProcessEnv;
}

/** The URL the SDK calls: AWS_ENDPOINT_URL_LAMBDA (what the SDKs read) or the regional endpoint. */
export function invokeUrl(target: InvokeTarget, env: NodeJS.ProcessEnv = process.env): string {
  const endpoint = (env.AWS_ENDPOINT_URL_LAMBDA || `https://lambda.${target.region}.amazonaws.com`).replace(
    /\/$/,
    "",
  );
  return `${endpoint}/2021-11-15/functions/${encodeURIComponent(target.functionName)}/response-streaming-invocations`;
}

/** An event as the SDK yielded it, with the time since the call started. */
export interface TimedEvent {
  atMs: number;
  event: InvokeWithResponseStreamResponseEvent;
}

/** curl's exit codes for the same failures, so retries and verdicts read alike for both doors. */
const EXIT = { ok: 0, couldNotResolve: 6, couldNotConnect: 7, partial: 18, timedOut: 28, receiveError: 56 };

/**
 * Turns the SDK's answer into an Attempt, event by event: each PayloadChunk is one read;
 * lines are cut at newlines as curl's are; an InvokeComplete with an ErrorCode means the
 * function cut the stream short (there is no HTTP status to change once streaming began).
 */
export class EventLines {
  private readonly arrivals: Arrival[] = [];
  private pending = Buffer.alloc(0);
  private bytesReceived = 0;
  private firstByteMs: number | undefined;
  private reads = 0;
  private lastMs = 0;
  private complete: TimedEvent["event"]["InvokeComplete"];

  constructor(private readonly onArrival?: (arrival: Arrival, index: number) => void) {}

  add({ atMs, event }: TimedEvent): void {
    this.lastMs = atMs;
    if (event.InvokeComplete) this.complete = event.InvokeComplete;
    const payload = event.PayloadChunk?.Payload;
    if (!payload || payload.length === 0) return;
    this.reads++;
    this.bytesReceived += payload.length;
    this.firstByteMs ??= atMs;
    this.pending = Buffer.concat([this.pending, Buffer.from(payload)]);
    for (let at = this.pending.indexOf(0x0a); at !== -1; at = this.pending.indexOf(0x0a)) {
      const arrival = { atMs, bytes: this.pending.subarray(0, at), read: this.reads };
      this.arrivals.push(arrival);
      this.onArrival?.(arrival, this.arrivals.length - 1);
      this.pending = this.pending.subarray(at + 1);
    }
  }

  attempt(status: number, contentType: string): Attempt {
    const failed = this.complete?.ErrorCode;
    const ended = this.complete !== undefined;
    return {
      arrivals: this.arrivals,
      tail: this.pending,
      bytesReceived: this.bytesReceived,
      firstByteMs: this.firstByteMs,
      curl: {
        ...emptyInfo(status, contentType),
        exitCode: failed || !ended ? EXIT.partial : EXIT.ok,
        error: failed
          ? `InvokeComplete ErrorCode ${failed}: ${this.complete?.ErrorDetails ?? ""}`.trim()
          : ended
            ? ""
            : "the event stream ended without InvokeComplete",
        timeStartTransferMs: this.firstByteMs ?? 0,
        timeTotalMs: this.lastMs,
        sizeDownload: this.bytesReceived,
      },
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

function emptyInfo(httpCode: number, contentType: string): CurlInfo {
  return {
    exitCode: EXIT.ok,
    httpCode,
    contentType,
    redirectUrl: "",
    httpVersion: "",
    timeConnectMs: 0,
    timeStartTransferMs: 0,
    timeTotalMs: 0,
    sizeDownload: 0,
    error: "",
    transport: "sdk",
  };
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
      ? EXIT.ok
      : code === "ECONNREFUSED"
        ? EXIT.couldNotConnect
        : code === "ENOTFOUND" || code === "EAI_AGAIN"
          ? EXIT.couldNotResolve
          : e.name === "TimeoutError" || e.name === "AbortError"
            ? EXIT.timedOut
            : EXIT.receiveError;
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
    curl: { ...emptyInfo(status, ""), exitCode, error: `${e.name}: ${e.message}${hint}`, timeTotalMs: atMs },
  };
}

type Sdk = typeof import("@aws-sdk/client-lambda");
let sdk: Promise<Sdk> | undefined;

/**
 * Loads the SDK and resolves its credentials before anything is timed: loading blocks the
 * event loop for a few hundred ms, which would hold back (and merge) the lines of every
 * stream measured beside it. Loaded on use: other checks do not pay for it at start-up.
 */
export async function prepareInvoke(target: InvokeTarget): Promise<void> {
  sdk ??= import("@aws-sdk/client-lambda");
  const { LambdaClient } = await sdk;
  const client = new LambdaClient({ region: target.region, maxAttempts: 1 });
  // The credential chain loads its providers on first use: now, not mid-measurement. A
  // failure is the call's to report, in the check's terms.
  await client.config.credentials().catch(() => undefined);
  client.destroy();
}

/** One InvokeWithResponseStream call, every event stamped as the SDK yields it. */
export async function invokeOnce(target: InvokeTarget, options: InvokeOptions): Promise<Attempt> {
  sdk ??= import("@aws-sdk/client-lambda");
  const { InvokeWithResponseStreamCommand, LambdaClient } = await sdk;
  // One attempt per call: the check's own loop decides what to retry (403, 429, 5xx).
  const client = new LambdaClient({ region: target.region, maxAttempts: 1 });
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
    return lines.attempt(response.StatusCode ?? 200, response.ResponseStreamContentType ?? "");
  } catch (error) {
    const timedOut = abort.signal.aborted;
    if (events > 0) {
      const cut = lines.attempt(200, "");
      cut.curl.exitCode = timedOut ? EXIT.timedOut : EXIT.receiveError;
      cut.curl.error = timedOut ? "" : `${(error as Error).name}: ${(error as Error).message}`;
      return cut;
    }
    const failed = attemptFromError(error, performance.now() - started);
    if (timedOut) failed.curl.exitCode = EXIT.timedOut;
    return failed;
  } finally {
    clearTimeout(timer);
    client.destroy();
  }
}
