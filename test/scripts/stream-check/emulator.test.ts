import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningFunction, serveFunction } from "../../../scripts/lib/emulator/emulator.js";
import { checkUrl, exitCodeFor } from "../../../scripts/lib/stream-check/check.js";
import { DEFAULT_CHECK_OPTIONS } from "../../../scripts/lib/stream-check/run.js";

// The real bundle behind the local Function URLs: what `npm start` and CI check.
describe("stream check against the local emulator", () => {
  const running: RunningFunction[] = [];
  let fast: { streaming: string; buffered: string };
  const quiet = () => {};

  beforeAll(async () => {
    const serve = async (mode: "RESPONSE_STREAM" | "BUFFERED", interval?: number) => {
      const fn = await serveFunction({
        invokeMode: mode,
        env: interval === undefined ? {} : { SENTENCE_INTERVAL_MS: String(interval) },
        log: quiet,
      });
      running.push(fn);
      return fn.url;
    };
    fast = { streaming: await serve("RESPONSE_STREAM", 100), buffered: await serve("BUFFERED", 100) };
  });

  afterAll(async () => {
    await Promise.all(running.map((fn) => fn.close()));
  });

  const fastOptions = { ...DEFAULT_CHECK_OPTIONS, intervalMs: 100, toleranceMs: 50 };

  it("passes the streaming URL as streaming and the buffered URL as buffered", async () => {
    const results = await Promise.all([
      checkUrl({ label: "streaming", url: fast.streaming, expect: { speech: "streaming" } }, fastOptions),
      checkUrl({ label: "buffered", url: fast.buffered, expect: { speech: "buffered" } }, fastOptions),
    ]);
    for (const result of results) expect(result.assertions.filter((a) => !a.passed)).toEqual([]);
    expect(exitCodeFor(results)).toBe(0);
  });

  it("fails each URL under the other expectation", async () => {
    const [streamingAsBuffered, bufferedAsStreaming] = await Promise.all([
      checkUrl({ label: "streaming", url: fast.streaming, expect: { speech: "buffered" } }, fastOptions),
      checkUrl({ label: "buffered", url: fast.buffered, expect: { speech: "streaming" } }, fastOptions),
    ]);
    expect(streamingAsBuffered?.passed).toBe(false);
    expect(streamingAsBuffered?.assertions.map((a) => a.reason).join()).toMatch(
      /this URL STREAMS, it is not BUFFERED/,
    );
    expect(bufferedAsStreaming?.passed).toBe(false);
    expect(bufferedAsStreaming?.assertions.map((a) => a.reason).join()).toMatch(
      /this URL is BUFFERED, not RESPONSE_STREAM/,
    );
  });
});
