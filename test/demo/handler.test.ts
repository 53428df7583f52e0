import {
  CORS_ENV,
  PRELUDE_CONTENT_TYPE,
  PRELUDE_DELIMITER_LENGTH,
  STREAMING_MARKER,
  streamify,
} from "lambda-stream-kit/handler";
import { restApiEvent, TestResponseStream, testContext } from "lambda-stream-kit/testing";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  createSpeechHandler,
  NOSNIFF_HEADERS,
  PRELUDE_PAUSE_MS,
  SPEECH_CONTENT_TYPE,
} from "../../lambda/demo/handler.js";
import { SENTENCES } from "../../lambda/demo/speech.js";

const context = testContext();
const asResponseStream = (stream: TestResponseStream) => stream.asResponseStream();

describe("speech handler", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"], now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("streams every sentence in order, the first at t=0 and then one per interval, and ends one interval after the last", async () => {
    const stream = new TestResponseStream();
    const done = createSpeechHandler({ intervalMs: 1000 })({}, asResponseStream(stream), context);
    await vi.advanceTimersByTimeAsync(0);
    expect(stream.writes.map((w) => w.at)).toEqual([0]);
    await vi.advanceTimersByTimeAsync(999);
    expect(stream.writes).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(stream.writes).toHaveLength(2);
    await vi.advanceTimersByTimeAsync((SENTENCES.length - 2) * 1000);
    expect(stream.writes).toHaveLength(SENTENCES.length);
    // A write may be held until the next write or the end (reported of real Function URLs):
    // the end waits one interval, so the last sentence is not released with the one before.
    await vi.advanceTimersByTimeAsync(999);
    expect(stream.writableFinished).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await done;
    expect(stream.writes.map((w) => w.text)).toEqual(SENTENCES.map((s) => `${s}\n`));
    expect(stream.writes.map((w) => w.at)).toEqual(SENTENCES.map((_, i) => i * 1000));
    expect(stream.writableFinished).toBe(true);
  });

  it("sets text/plain; charset=utf-8 before the first byte", async () => {
    const stream = new TestResponseStream();
    const done = createSpeechHandler({ intervalMs: 10 })({}, asResponseStream(stream), context);
    await vi.advanceTimersByTimeAsync(SENTENCES.length * 10);
    await done;
    expect(stream.writes[0]?.contentTypeAtWrite).toBe(SPEECH_CONTENT_TYPE);
  });

  it("honours the configured interval", async () => {
    const stream = new TestResponseStream();
    const done = createSpeechHandler({ intervalMs: 250 })({}, asResponseStream(stream), context);
    await vi.advanceTimersByTimeAsync(SENTENCES.length * 250);
    await done;
    expect(stream.writes.map((w) => w.at)).toEqual(SENTENCES.map((_, i) => i * 250));
  });

  it("waits for drain on a slow reader, so at most one sentence is buffered beyond the high-water mark", async () => {
    const highWaterMark = 16;
    const stream = new TestResponseStream({ writeDelayMs: 500, highWaterMark });
    const done = createSpeechHandler({ intervalMs: 0 })({}, asResponseStream(stream), context);
    await vi.advanceTimersByTimeAsync(SENTENCES.length * 500);
    await done;
    const longest = Math.max(...SENTENCES.map((s) => Buffer.byteLength(`${s}\n`)));
    expect(stream.writes).toHaveLength(SENTENCES.length);
    expect(stream.maxBuffered).toBeLessThanOrEqual(highWaterMark + longest);
    // Without backpressure every sentence would be queued at once.
    if (SENTENCES.length > 2) expect(stream.maxBuffered).toBeLessThan(SENTENCES.join("\n").length);
  });

  it("ends the stream and rejects when a write fails, instead of hanging until the timeout", async () => {
    const stream = new TestResponseStream({ failOnWrite: 2 });
    const done = createSpeechHandler({ intervalMs: 100 })({}, asResponseStream(stream), context);
    const outcome = expect(done).rejects.toThrow("socket hang up");
    await vi.advanceTimersByTimeAsync(1000);
    await outcome;
    expect(stream.destroyed).toBe(true);
    expect(stream.writes).toHaveLength(2);
  });
});

describe("nosniff for Function URL callers", () => {
  const urlEvent = { version: "2.0", requestContext: { http: { method: "GET", path: "/" } } };
  const run = async (event: unknown, nosniff: boolean) => {
    const stream = new TestResponseStream();
    await createSpeechHandler({ intervalMs: 0, nosniff })(event, asResponseStream(stream), context);
    return stream;
  };
  // What goes on the wire: an empty write sends no chunk (Node's chunked encoding skips it).
  const sent = (stream: TestResponseStream) => stream.writes.filter((w) => w.text !== "");

  it("sends the prelude with X-Content-Type-Options: nosniff before the speech, to a Function URL", async () => {
    const stream = await run(urlEvent, true);
    expect(stream.contentType).toBe(PRELUDE_CONTENT_TYPE);
    const [prelude, delimiter, ...rest] = sent(stream).map((w) => w.text);
    expect(JSON.parse(prelude ?? "")).toEqual({ statusCode: 200, headers: NOSNIFF_HEADERS });
    expect(delimiter).toBe("\0".repeat(PRELUDE_DELIMITER_LENGTH));
    expect(rest).toEqual(SENTENCES.map((s) => `${s}\n`));
  });

  it("writes the first sentence a pause after the prelude: a body written with its prelude is reported held to the end", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"], now: 0 });
    try {
      const stream = new TestResponseStream();
      const done = createSpeechHandler({ intervalMs: 1000, nosniff: true })(
        urlEvent,
        asResponseStream(stream),
        context,
      );
      await vi.advanceTimersByTimeAsync(PRELUDE_PAUSE_MS - 1);
      // The empty write is what makes a runtime client send the prelude now (its _onBeforeFirstWrite).
      expect(stream.writes.map((w) => w.text)).toContain("");
      expect(sent(stream)).toHaveLength(2);
      await vi.advanceTimersByTimeAsync(1);
      expect(sent(stream).map((w) => [w.at, w.text])).toEqual([
        [0, expect.any(String)],
        [0, "\0".repeat(PRELUDE_DELIMITER_LENGTH)],
        [PRELUDE_PAUSE_MS, `${SENTENCES[0]}\n`],
      ]);
      await vi.advanceTimersByTimeAsync(SENTENCES.length * 1000);
      await done;
    } finally {
      vi.useRealTimers();
    }
  });

  it("answers a REST API door with the metadata and delimiter it requires, nosniff or not", async () => {
    for (const nosniff of [false, true]) {
      const stream = await run(restApiEvent({ path: "/" }), nosniff);
      expect(stream.contentType).toBe(PRELUDE_CONTENT_TYPE);
      const answer = stream.response();
      expect(answer.metadata).toEqual({
        statusCode: 200,
        headers: nosniff ? NOSNIFF_HEADERS : { "content-type": SPEECH_CONTENT_TYPE },
      });
      expect(answer.body).toBe(SENTENCES.map((s) => `${s}\n`).join(""));
    }
  });

  it("answers a REST API preflight itself and adds CORS headers for an allowed origin only", async () => {
    process.env[CORS_ENV] = JSON.stringify({ allowOrigins: ["https://app.example"], allowMethods: ["GET"] });
    try {
      const preflight = await run(
        restApiEvent({
          method: "OPTIONS",
          headers: { origin: "https://app.example", "access-control-request-method": "GET" },
        }),
        false,
      );
      expect(preflight.response().metadata).toMatchObject({
        statusCode: 200,
        headers: {
          "access-control-allow-origin": "https://app.example",
          "access-control-allow-methods": "GET",
        },
      });
      expect(preflight.response().body).toBe("");
      const allowed = await run(restApiEvent({ headers: { origin: "https://app.example" } }), false);
      expect(allowed.response().metadata?.headers?.["access-control-allow-origin"]).toBe(
        "https://app.example",
      );
      const other = await run(restApiEvent({ headers: { origin: "https://other.example" } }), false);
      expect(other.response().metadata?.headers?.["access-control-allow-origin"]).toBeUndefined();
    } finally {
      delete process.env[CORS_ENV];
    }
  });

  it("sends no prelude to an SDK caller (InvokeWithResponseStream would show its bytes), nor when off", async () => {
    for (const stream of [await run({}, true), await run(urlEvent, false)]) {
      expect(stream.contentType).toBe(SPEECH_CONTENT_TYPE);
      expect(sent(stream).map((w) => w.text)).toEqual(SENTENCES.map((s) => `${s}\n`));
    }
  });
});

describe("entry point", () => {
  it("exports a handler marked for response streaming", async () => {
    const { handler } = await import("../../lambda/demo/index.js");
    expect((handler as unknown as Record<symbol, unknown>)[STREAMING_MARKER]).toBe("response");
  });
});

describe("beside the AWS SDK", () => {
  it("still streams and sends its prelude where the SDK made an awslambda global without the runtime's functions", async () => {
    const saved = Object.getOwnPropertyDescriptor(globalThis, "awslambda");
    try {
      // Importing the SDK is enough: @aws/lambda-invoke-store sets globalThis.awslambda ||= {}.
      await import("@aws-sdk/client-lambda");
      expect(globalThis.awslambda).toBeTypeOf("object");
      expect(globalThis.awslambda?.streamifyResponse).toBeUndefined();
      const marked = streamify(async () => {});
      expect((marked as unknown as Record<symbol, unknown>)[STREAMING_MARKER]).toBe("response");
      const stream = new TestResponseStream();
      const urlEvent = { version: "2.0", requestContext: { http: { method: "GET", path: "/" } } };
      await createSpeechHandler({ intervalMs: 0, nosniff: true })(
        urlEvent,
        asResponseStream(stream),
        context,
      );
      expect(stream.contentType).toBe(PRELUDE_CONTENT_TYPE);
      expect(
        stream.writes
          .slice(2)
          .filter((w) => w.text !== "")
          .map((w) => w.text),
      ).toEqual(SENTENCES.map((s) => `${s}\n`));
    } finally {
      if (saved) Object.defineProperty(globalThis, "awslambda", saved);
      else delete (globalThis as { awslambda?: unknown }).awslambda;
    }
  });
});
