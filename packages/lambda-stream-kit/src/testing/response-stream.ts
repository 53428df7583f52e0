import { Writable } from "node:stream";
import { PRELUDE_CONTENT_TYPE, PRELUDE_DELIMITER_LENGTH } from "../handler/streamify.js";

/** One write the handler made: when (Date.now(), so fake timers drive it), what, and the content type then. */
export interface RecordedWrite {
  at: number;
  text: string;
  contentTypeAtWrite: string | undefined;
}

export interface TestResponseStreamOptions {
  /** Each write takes this long to be accepted (a slow client): the handler must wait for `drain`. */
  writeDelayMs?: number;
  highWaterMark?: number;
  /** The write with this index fails (a client that went away). */
  failOnWrite?: number;
}

/**
 * A stand-in for the response stream the Lambda runtime hands a streaming handler: it records
 * each write and behaves as the runtime's does where a handler can tell (`setContentType` after
 * the first write throws `Cannot set content-type, too late.`, as
 * aws-lambda-nodejs-runtime-interface-client's HttpResponseStream does). For unit tests of a
 * handler without the emulator: `await handler(event, stream.asResponseStream(), context)`.
 */
export class TestResponseStream extends Writable {
  contentType: string | undefined;
  writes: RecordedWrite[] = [];
  /** The most bytes ever waiting in the stream's buffer (a handler that ignores `drain` grows it). */
  maxBuffered = 0;
  private readonly writeDelayMs: number;
  private readonly failOnWrite: number;

  constructor(options: TestResponseStreamOptions = {}) {
    super({ highWaterMark: options.highWaterMark ?? 16 * 1024, decodeStrings: false });
    this.writeDelayMs = options.writeDelayMs ?? 0;
    this.failOnWrite = options.failOnWrite ?? -1;
  }

  setContentType(type: string): void {
    if (this.writes.length > 0) throw new Error("Cannot set content-type, too late.");
    this.contentType = type;
  }

  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: (error?: Error | null) => void): void {
    this.maxBuffered = Math.max(this.maxBuffered, this.writableLength);
    if (this.writes.length === this.failOnWrite) {
      done(new Error("socket hang up"));
      return;
    }
    this.writes.push({ at: Date.now(), text: String(chunk), contentTypeAtWrite: this.contentType });
    if (this.writeDelayMs > 0) setTimeout(() => done(), this.writeDelayMs);
    else done();
  }

  /** This stream typed as the runtime's, to pass to a handler. */
  asResponseStream(): awslambda.ResponseStream {
    return this as unknown as awslambda.ResponseStream;
  }

  /** The writes that carried bytes (an empty write sends nothing on the wire). */
  sent(): RecordedWrite[] {
    return this.writes.filter((w) => w.text !== "");
  }

  /**
   * What a Function URL caller would get: the prelude's metadata (when the handler used
   * HttpResponseStream.from) and the body after the 8-NUL delimiter.
   */
  response(): { metadata?: awslambda.HttpResponseMetadata; body: string; contentType: string | undefined } {
    const all = this.writes.map((w) => w.text).join("");
    if (this.contentType !== PRELUDE_CONTENT_TYPE) return { body: all, contentType: this.contentType };
    const at = all.indexOf("\0".repeat(PRELUDE_DELIMITER_LENGTH));
    if (at === -1) throw new Error("the handler set the prelude's content type but sent no 8-NUL delimiter");
    const metadata = JSON.parse(all.slice(0, at)) as awslambda.HttpResponseMetadata;
    return {
      metadata,
      body: all.slice(at + PRELUDE_DELIMITER_LENGTH),
      contentType: metadata.headers?.["content-type"],
    };
  }
}

/** A Lambda context for unit tests: the fields a handler reads, with recognisable values. */
export function testContext(overrides: Partial<awslambda.Context> = {}): awslambda.Context {
  return {
    awsRequestId: "00000000-0000-4000-8000-000000000000",
    functionName: "test",
    functionVersion: "$LATEST",
    invokedFunctionArn: "arn:aws:lambda:us-east-1:000000000000:function:test",
    memoryLimitInMB: "128",
    logGroupName: "/aws/lambda/test",
    logStreamName: "test",
    getRemainingTimeInMillis: () => 30_000,
    ...overrides,
  };
}
