import { describe, expect, it } from "vitest";
import {
  type CheckSettings,
  DEFAULT_PROGRESSIVE_MS,
  type Expectations,
  evaluate,
  resolveExpectations,
} from "../../../src/stream-check/evaluate.js";
import type { Attempt, CurlInfo } from "../../../src/stream-check/measure.js";
import { SENTENCES } from "../../helpers/project.js";

// Evaluation over synthetic arrivals: no server, no curl, no clock.
const INTERVAL = 1000;
const curl = (overrides: Partial<CurlInfo> = {}): CurlInfo => ({
  exitCode: 0,
  httpCode: 200,
  contentType: "text/plain; charset=utf-8",
  redirectUrl: "",
  httpVersion: "1.1",
  timeConnectMs: 1,
  timeStartTransferMs: 50,
  timeTotalMs: 9000,
  sizeDownload: 1,
  error: "",
  ...overrides,
});
const attempt = (
  lines: readonly string[],
  at: (i: number) => number,
  extra: Partial<Attempt> = {},
): Attempt => ({
  arrivals: lines.map((line, i) => ({ atMs: at(i), bytes: Buffer.from(line), read: i + 1 })),
  tail: Buffer.alloc(0),
  bytesReceived: lines.join("\n").length,
  firstByteMs: at(0),
  curl: curl(),
  ...extra,
});
const settings = (expect: Expectations, overrides: Partial<CheckSettings> = {}): CheckSettings => ({
  expect,
  sentences: SENTENCES,
  intervalMs: INTERVAL,
  toleranceMs: 300,
  maxTtfbMs: 3000,
  bufferedWindowMs: 100,
  bufferedMinTtfbShare: 0.8,
  maxTimeS: 60,
  ...overrides,
});
const failed = (assertions: ReturnType<typeof evaluate>) => assertions.filter((a) => !a.passed);
const streamed = attempt(SENTENCES, (i) => 50 + i * INTERVAL);
const buffered = attempt(SENTENCES, () => 50 + (SENTENCES.length - 1) * INTERVAL, {
  arrivals: SENTENCES.map((s) => ({ atMs: 9050, bytes: Buffer.from(s), read: 1 })),
  firstByteMs: (SENTENCES.length - 1) * INTERVAL,
});

describe("the speech's strict expectations", () => {
  it("pass a stream with every sentence once, in order, an interval apart", () => {
    expect(failed(evaluate(streamed, settings({ lines: { text: SENTENCES, arrive: "paced" } })))).toEqual([]);
  });

  it("pass a buffered answer that arrives all at once, and fail it as a stream", () => {
    expect(failed(evaluate(buffered, settings({ lines: { text: SENTENCES, arrive: "together" } })))).toEqual(
      [],
    );
    const reasons = failed(evaluate(buffered, settings({ lines: { text: SENTENCES, arrive: "paced" } }))).map(
      (a) => a.reason,
    );
    expect(reasons.join()).toMatch(/this URL is BUFFERED, not RESPONSE_STREAM/);
  });

  it("names the setting when every gap is steady at another interval, as one cause", () => {
    const twice = attempt(SENTENCES, (i) => 50 + i * 2 * INTERVAL);
    const failures = failed(evaluate(twice, settings({ lines: { text: SENTENCES, arrive: "paced" } })));
    expect(failures.map((a) => a.id)).toEqual(["gaps"]);
    expect(failures[0]?.reason).toMatch(
      /every gap is about 2000 ms, not 1000 ms: the function's interval .* differs .* \(--interval-ms 2000\)/,
    );
  });

  // Heuristics over the count of gaps: texts of their own, not the speech (which may be short).
  const numbered = (count: number) => Array.from({ length: count }, (_, i) => `Line ${i + 1}.`);

  it("still names the setting when one stall lifted a single gap into range", () => {
    // Gaps of 400 ms at an expected 1000 ± 300, one of them 750 after a stall.
    const lines = numbered(10);
    const times = lines.map((_, i) => 50 + i * 400 + (i >= 3 ? 350 : 0));
    const failures = failed(
      evaluate(
        attempt(lines, (i) => times[i] ?? 0),
        settings({ lines: { text: SENTENCES, arrive: "paced" } }, { sentences: lines }),
      ),
    );
    expect(failures[0]?.reason).toMatch(/every gap is about 400 ms, not 1000 ms/);
  });

  it("names the setting at twice the interval even when one line was held back (one gap short, the next long)", () => {
    // Seen in a run: 400 ms gaps at an expected 200 ± 90, line 5 held back 110 ms.
    const lines = numbered(10);
    const times = lines.map((_, i) => 50 + i * 400 + (i === 4 ? 110 : 0));
    const failures = failed(
      evaluate(
        attempt(lines, (i) => times[i] ?? 0),
        settings(
          { lines: { text: SENTENCES, arrive: "paced" } },
          { sentences: lines, intervalMs: 200, toleranceMs: 90 },
        ),
      ),
    );
    expect(failures.map((a) => a.id)).toEqual(["gaps"]);
    expect(failures[0]?.reason).toMatch(/every gap is about 400 ms, not 200 ms/);
  });

  it("fails a short text streamed at a much shorter interval, never as buffered or passed", () => {
    // 4 lines 20 ms apart fit in the buffered window; each came in its own read.
    const lines = numbered(4);
    const failures = failed(
      evaluate(
        attempt(lines, (i) => 50 + i * 20),
        settings(
          { lines: { text: SENTENCES, arrive: "paced" } },
          { sentences: lines, intervalMs: 150, toleranceMs: 70 },
        ),
      ),
    );
    expect(failures.map((a) => a.id)).toContain("gaps");
    expect(failures.find((a) => a.id === "gaps")?.reason).toMatch(/every gap is about 20 ms, not 150 ms/);
  });

  it("names a missing and a swapped sentence", () => {
    const lines = [...SENTENCES];
    [lines[0], lines[1]] = [lines[1] as string, lines[0] as string];
    lines.pop();
    const [text] = failed(
      evaluate(
        attempt(lines, (i) => i * INTERVAL),
        settings({ lines: { text: SENTENCES, arrive: "paced" } }),
      ),
    ).filter((a) => a.id === "text");
    expect(text?.reason).toMatch(/sentence 1 arrived after sentence 2: out of order/);
    expect(text?.reason).toContain(`sentence ${SENTENCES.length} is missing`);
  });
});

describe("classifying the answer first", () => {
  it.each([
    [
      404,
      "text/html",
      "<!doctype html><title>Not Found</title>",
      /HTTP 404 with an HTML page \("Not Found"\)/,
    ],
    [
      403,
      "application/json",
      '{"Message":"Forbidden"}',
      /HTTP 403 Forbidden: .*\(body: \{"Message":"Forbidden"\}\)/,
    ],
    [
      502,
      "application/json",
      '{"message":"Internal Server Error"}',
      /HTTP 502 Bad Gateway: the function failed/,
    ],
  ])("reports an HTTP %i as that one cause, with the body's first line", (code, type, body, reason) => {
    const answer = attempt([body], () => 10, { curl: curl({ httpCode: code, contentType: type }) });
    const failures = failed(evaluate(answer, settings({ lines: { text: SENTENCES, arrive: "paced" } })));
    expect(failures).toHaveLength(1);
    expect(failures[0]?.reason).toMatch(reason);
    expect(failures[0]?.reason).not.toContain("\n");
  });
});

describe("expectations for your own function", () => {
  const lines = ['{"step":1}', '{"step":2}', '{"step":3}'];
  const progress = attempt(lines, (i) => 100 + i * 150, {
    curl: curl({ contentType: "application/x-ndjson" }),
  });
  const judge = (expect: Expectations, answer = progress) => evaluate(answer, settings(expect));

  it("checks status, content type, JSON lines, chunks, first byte and progress, each by name", () => {
    const results = judge({
      status: 200,
      contentType: "application/x-ndjson",
      body: { jsonLines: true },
      minChunks: 3,
      maxTtfbMs: 500,
      progressiveMs: 250,
    });
    expect(results.map((a) => a.id)).toEqual([
      "answered",
      "status",
      "content-type",
      "complete",
      "body",
      "min-chunks",
      "ttfb",
      "progressive",
    ]);
    expect(failed(results)).toEqual([]);
  });

  it.each<[string, Expectations, RegExp]>([
    ["a status", { status: 201 }, /HTTP 200/],
    [
      "a content type",
      { contentType: "text/csv" },
      /content-type is application\/x-ndjson \(expected text\/csv\)/,
    ],
    ["exact text", { body: { text: "done" } }, /the body is .* not "done"/],
    ["a regex", { body: { regex: "^\\[" } }, /does not match \/\^\\\[\//],
    ["more chunks", { minChunks: 5 }, /arrived in 3 chunk\(s\), fewer than 5/],
    ["a quicker first byte", { maxTtfbMs: 50 }, /the first byte took 100 ms \(limit 50 ms\)/],
    ["more spread", { progressiveMs: 1000 }, /within 300 ms of the first byte \(expected ≥ 1000 ms\)/],
  ])("fails %s it does not meet, naming it", (_, wanted, reason) => {
    const failures = failed(judge(wanted));
    expect(failures).toHaveLength(1);
    expect(failures[0]?.reason).toMatch(reason);
  });

  it("says a body held to the end although it came chunked was held, not that the URL is BUFFERED", () => {
    const allAtOnce = attempt(lines, () => 100);
    const held = { ...allAtOnce, curl: curl({ chunked: true }) };
    const [heldCause] = failed(judge({ progressiveMs: 200 }, held));
    expect(heldCause?.reason).toMatch(/although it streamed: .*small writes were held/);
    expect(heldCause?.reason).not.toMatch(/BUFFERED/);
    const whole = { ...allAtOnce, curl: curl({ chunked: false }) };
    expect(failed(judge({ progressiveMs: 200 }, whole))[0]?.reason).toMatch(/the URL is BUFFERED/);
  });

  it("fails a body line that is not JSON", () => {
    const answer = attempt(['{"ok":1}', "oops"], (i) => i * 100);
    expect(failed(judge({ body: { jsonLines: true } }, answer))[0]?.reason).toMatch(
      /line 2 is not JSON: "oops"/,
    );
  });

  it("defaults a row that says nothing to 2xx, and progressive when streamed", () => {
    expect(resolveExpectations(undefined, true)).toEqual({ progressiveMs: DEFAULT_PROGRESSIVE_MS });
    expect(resolveExpectations({}, false)).toEqual({});
    const allAtOnce = attempt(lines, () => 100);
    expect(failed(judge(resolveExpectations(undefined, true), allAtOnce)).map((a) => a.id)).toEqual([
      "progressive",
    ]);
    expect(failed(judge(resolveExpectations(undefined, false), allAtOnce))).toEqual([]);
  });
});
