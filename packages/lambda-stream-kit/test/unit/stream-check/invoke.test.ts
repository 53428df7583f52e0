import { describe, expect, it } from "vitest";
import { evaluate } from "../../../src/stream-check/evaluate.js";
import { attemptFromError, attemptFromEvents, type TimedEvent } from "../../../src/stream-check/invoke.js";
import { SENTENCES } from "../../helpers/project.js";

// The SDK's events in curl's terms, so one evaluator judges both doors.
const chunk = (atMs: number, text: string): TimedEvent => ({
  atMs,
  event: { PayloadChunk: { Payload: Buffer.from(text) } },
});
const done = (atMs: number, complete: Record<string, string> = {}): TimedEvent => ({
  atMs,
  event: { InvokeComplete: complete },
});
const settings = {
  expect: { lines: { text: SENTENCES, arrive: "paced" } as const },
  sentences: SENTENCES,
  intervalMs: 100,
  toleranceMs: 30,
  maxTtfbMs: 1000,
  bufferedWindowMs: 50,
  bufferedMinTtfbShare: 0.8,
  maxTimeS: 10,
};

describe("the SDK's answer as an attempt", () => {
  it("stamps lines at the chunk that completes them, one read per PayloadChunk", () => {
    const attempt = attemptFromEvents(200, "text/plain", [
      chunk(10, "one\ntw"),
      chunk(110, "o\n"),
      chunk(210, "three\n"),
      done(215),
    ]);
    expect(attempt.arrivals.map((a) => [a.bytes.toString(), a.atMs, a.read])).toEqual([
      ["one", 10, 1],
      ["two", 110, 2],
      ["three", 210, 3],
    ]);
    expect(attempt.firstByteMs).toBe(10);
    expect(attempt.curl).toMatchObject({
      exitCode: 0,
      httpCode: 200,
      contentType: "text/plain",
      transport: "sdk",
    });
  });

  it("passes the speech streamed one sentence a chunk at the interval", () => {
    const events = [
      ...SENTENCES.map((s, i) => chunk(50 + i * 100, `${s}\n`)),
      done(60 + (SENTENCES.length - 1) * 100),
    ];
    const failed = evaluate(attemptFromEvents(200, "text/plain; charset=utf-8", events), settings).filter(
      (a) => !a.passed,
    );
    expect(failed).toEqual([]);
  });

  it("fails a stream InvokeComplete ends with an error, naming it", () => {
    const events = [
      chunk(50, `${SENTENCES[0]}\n`),
      done(1000, { ErrorCode: "Sandbox.Timedout", ErrorDetails: "Task timed out after 1.00 seconds" }),
    ];
    const failed = evaluate(attemptFromEvents(200, "text/plain", events), settings).filter((a) => !a.passed);
    expect(failed[0]?.reason).toBe(
      "the stream was cut short after 1 line(s) (InvokeComplete ErrorCode Sandbox.Timedout: Task timed out after 1.00 seconds): the function failed or timed out mid-stream",
    );
  });

  it("treats an event stream without InvokeComplete as cut short", () => {
    const attempt = attemptFromEvents(200, "text/plain", [chunk(5, "a\n")]);
    expect(attempt.curl.exitCode).not.toBe(0);
    expect(attempt.curl.error).toMatch(/ended without InvokeComplete/);
  });

  it("maps AWS's errors to their status, and network failures to curl's codes", () => {
    const notFound = Object.assign(new Error("Function not found: x"), {
      name: "ResourceNotFoundException",
      $metadata: { httpStatusCode: 404 },
    });
    expect(attemptFromError(notFound, 3).curl).toMatchObject({ httpCode: 404, exitCode: 0 });
    const refused = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
    expect(attemptFromError(refused, 3).curl).toMatchObject({ httpCode: 0, exitCode: 7 });
    const noCredentials = Object.assign(new Error("Could not load credentials"), {
      name: "CredentialsProviderError",
    });
    expect(attemptFromError(noCredentials, 3).curl.error).toMatch(/set AWS credentials in the environment/);
  });
});
