import { randomBytes, randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { Readable } from "node:stream";
import { type FunctionError, HEADER, LIMITS } from "./contract.js";

/** What the function answered first: a stream, a buffered result, or an error before any byte. */
export type InvocationOutcome =
  | { kind: "stream"; contentType: string; body: Readable }
  | { kind: "result"; payload: Buffer }
  | { kind: "error"; error: FunctionError };

export interface InvocationSummary {
  requestId: string;
  durationMs: number;
  /** Response bytes the function produced (all of them, even if the client left early). */
  bytes: number;
  error?: FunctionError;
}

/** The error a streamed body is destroyed with when the function fails after its first byte. */
export class FunctionStreamError extends Error {
  constructor(readonly functionError: FunctionError) {
    super(`${functionError.errorType}: ${functionError.errorMessage}`);
    this.name = "FunctionStreamError";
  }
}

/** X-Ray's trace id format: Root=1-<8 hex epoch seconds>-<24 hex>. */
export function newTraceId(): string {
  const epoch = Math.floor(Date.now() / 1000)
    .toString(16)
    .padStart(8, "0");
  return `Root=1-${epoch}-${randomBytes(12).toString("hex")};Sampled=0`;
}

/**
 * One request's life from the front end through an instance and back. The front end
 * awaits `outcome`; the pool awaits `finished` (which also comes when the client is gone,
 * since on AWS a function runs on after a disconnect).
 */
export class Invocation {
  readonly requestId: string;
  readonly traceId: string;
  readonly outcome: Promise<InvocationOutcome>;
  readonly finished: Promise<InvocationSummary>;
  /** Resolves once its END and REPORT lines are logged (the Lambda API's log tail waits on it). */
  readonly reported: Promise<void>;
  /** What this invocation logged: START, the function's own lines, END, REPORT. */
  readonly logs: string[] = [];
  startedAt = 0;
  private resolveReported!: () => void;
  private resolveOutcome!: (outcome: InvocationOutcome) => void;
  private resolveFinished!: (summary: InvocationSummary) => void;
  private settled = false;
  private outcomeGiven = false;
  private body: Readable | undefined;
  private bytes = 0;

  constructor(
    readonly event: unknown,
    requestId: string = randomUUID(),
    traceId: string = newTraceId(),
  ) {
    this.requestId = requestId;
    this.traceId = traceId;
    this.outcome = new Promise((resolve) => {
      this.resolveOutcome = resolve;
    });
    this.finished = new Promise((resolve) => {
      this.resolveFinished = resolve;
    });
    this.reported = new Promise((resolve) => {
      this.resolveReported = resolve;
    });
  }

  log(line: string): void {
    this.logs.push(line);
  }

  markReported(): void {
    this.resolveReported();
  }

  get isSettled(): boolean {
    return this.settled;
  }

  markStarted(): void {
    this.startedAt = performance.now();
  }

  /**
   * Relays a streamed response body from the Runtime API request `source` with
   * backpressure: when the client reads slowly the source is paused, which stalls the
   * runtime's socket and so the handler's writes. If the client goes away the rest is
   * read and dropped, so the function is never blocked by a reader that is not there.
   */
  startStream(contentType: string, source: IncomingMessage, onEnd: (error?: FunctionError) => void): void {
    let consumerGone = false;
    let producerDone = false;
    const body = new Readable({
      read: () => {
        source.resume();
      },
      destroy: (error, callback) => {
        if (!producerDone) {
          consumerGone = true;
          source.resume();
        }
        callback(error);
      },
    });
    this.body = body;
    source.on("data", (chunk: Buffer) => {
      this.bytes += chunk.length;
      if (consumerGone) return;
      if (!body.push(chunk)) source.pause();
    });
    source.on("end", () => {
      producerDone = true;
      const error = trailerError(source);
      if (error) {
        this.fail(error);
      } else {
        if (!consumerGone) body.push(null);
        this.complete();
      }
      onEnd(error);
    });
    this.outcomeGiven = true;
    this.resolveOutcome({ kind: "stream", contentType, body });
  }

  completeWithResult(payload: Buffer): void {
    this.bytes = payload.length;
    if (!this.outcomeGiven) {
      this.outcomeGiven = true;
      this.resolveOutcome({ kind: "result", payload });
    }
    this.complete();
  }

  /** Fails the invocation: a 502 if nothing was sent yet, else the stream is cut short. */
  fail(error: FunctionError): void {
    if (this.settled) return;
    if (!this.outcomeGiven) {
      this.outcomeGiven = true;
      this.resolveOutcome({ kind: "error", error });
    } else if (this.body && !this.body.destroyed) {
      this.body.destroy(new FunctionStreamError(error));
    }
    this.settle(error);
  }

  private complete(): void {
    this.settle(undefined);
  }

  private settle(error: FunctionError | undefined): void {
    if (this.settled) return;
    this.settled = true;
    const durationMs = this.startedAt ? performance.now() - this.startedAt : 0;
    this.resolveFinished({
      requestId: this.requestId,
      durationMs,
      bytes: this.bytes,
      ...(error ? { error } : {}),
    });
  }
}

function trailerError(source: IncomingMessage): FunctionError | undefined {
  const errorType = source.trailers[HEADER.errorType];
  if (!errorType) return undefined;
  const encoded = source.trailers[HEADER.errorBody];
  try {
    const parsed = JSON.parse(
      Buffer.from(encoded ?? "", "base64").toString("utf8"),
    ) as Partial<FunctionError>;
    return { errorType, errorMessage: String(parsed.errorMessage ?? ""), trace: parsed.trace ?? [] };
  } catch {
    return { errorType, errorMessage: "(unreadable error body)" };
  }
}

/**
 * A streamed body read whole, as a buffered caller gets it (a BUFFERED URL, Invoke): its
 * bytes, or undefined past the 6 MB limit (the stream is then destroyed). Rejects as the
 * body does: a FunctionStreamError when the function failed after its first byte.
 */
export async function readWhole(
  body: Readable,
  limit: number = LIMITS.bufferedResponseBytes,
): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      body.destroy();
      return undefined;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
