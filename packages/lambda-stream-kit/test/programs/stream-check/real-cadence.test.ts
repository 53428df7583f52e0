import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningFunction, serveFunction } from "../../../src/emulator/emulator.js";
import { checkUrl } from "../../../src/stream-check/check.js";
import { DEFAULT_CHECK_OPTIONS } from "../../../src/stream-check/run.js";
import { SENTENCES, SPEECH_HANDLER } from "../../helpers/project.js";

// The real bundle at the real one-second cadence, judged with CI's own tolerance (± 300 ms):
// wide enough to share the machine with the untimed tests, so it runs beside them.
describe("stream check against the local emulator at the real cadence", () => {
  const running: RunningFunction[] = [];
  let streaming: string;
  let buffered: string;

  beforeAll(async () => {
    const serve = async (invokeMode: "RESPONSE_STREAM" | "BUFFERED") => {
      const fn = await serveFunction({ handler: SPEECH_HANDLER, invokeMode, log: () => {} });
      running.push(fn);
      return fn.url;
    };
    [streaming, buffered] = await Promise.all([serve("RESPONSE_STREAM"), serve("BUFFERED")]);
  });

  afterAll(async () => {
    await Promise.all(running.map((fn) => fn.close()));
  });

  it("passes both at the real one-second cadence", async () => {
    const results = await Promise.all([
      checkUrl(
        { label: "streaming", url: streaming, expect: { lines: { text: SENTENCES, arrive: "paced" } } },
        DEFAULT_CHECK_OPTIONS,
      ),
      checkUrl(
        { label: "buffered", url: buffered, expect: { lines: { text: SENTENCES, arrive: "together" } } },
        DEFAULT_CHECK_OPTIONS,
      ),
    ]);
    for (const result of results) expect(result.assertions.filter((a) => !a.passed)).toEqual([]);
    const arrivals = results[0]?.final.arrivals ?? [];
    expect((arrivals.at(-1)?.atMs ?? 0) - (arrivals[0]?.atMs ?? 0)).toBeGreaterThan(
      0.85 * (SENTENCES.length - 1) * 1000,
    );
  }, 60_000);
});
