import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { InvokeMode } from "../../../src/contract.js";
import { settingsFor } from "../../../src/stream-check/check.js";
import { type DeliveryShapeName, observeDelivery } from "../../../src/stream-check/delivery.js";
import { evaluate } from "../../../src/stream-check/evaluate.js";
import { type Attempt, curlInfo } from "../../../src/stream-check/measure.js";
import { DEFAULT_CHECK_OPTIONS } from "../../../src/stream-check/run.js";
import { KIT_ROOT } from "../../helpers/project.js";

/**
 * Arrival traces recorded from the demo through the emulator under each `--delivery` shape
 * (each file's `recorded` says how): times, reads and sizes as curl or the SDK saw them. The
 * lines' text is the trace's own (numbered), so the speech can change without them.
 */
interface Trace {
  recorded: string;
  invokeMode: InvokeMode;
  intervalMs: number;
  curl: {
    transport: "curl" | "sdk";
    httpCode: number;
    contentType: string;
    timeTotalMs: number;
    chunked?: boolean;
  };
  firstByteMs: number;
  arrivals: [atMs: number, read: number][];
  reads: [atMs: number, bytes: number][];
}

function load(name: string): { attempt: Attempt; trace: Trace; sentences: string[] } {
  const trace = JSON.parse(
    readFileSync(join(KIT_ROOT, "test/fixtures/traces", `${name}.json`), "utf8"),
  ) as Trace;
  const sentences = trace.arrivals.map((_, i) => `Sentence number ${i + 1}.`);
  const attempt: Attempt = {
    arrivals: trace.arrivals.map(([atMs, read], i) => ({
      atMs,
      read,
      bytes: Buffer.from(sentences[i] ?? ""),
    })),
    tail: Buffer.alloc(0),
    bytesReceived: trace.reads.reduce((sum, [, bytes]) => sum + bytes, 0),
    firstByteMs: trace.firstByteMs,
    reads: trace.reads.map(([atMs, bytes]) => ({ atMs, bytes })),
    curl: curlInfo(trace.curl),
  };
  return { attempt, trace, sentences };
}

function judge(name: string, arrive: "paced" | "together" = "paced") {
  const { attempt, trace, sentences } = load(name);
  const target = {
    label: name,
    url: "http://127.0.0.1:1/",
    expect: { lines: { text: sentences, arrive } },
    invokeMode: trace.invokeMode,
  };
  // The tolerance the emulator tests use: 0.45 of the interval.
  const settings = settingsFor(target, {
    ...DEFAULT_CHECK_OPTIONS,
    intervalMs: trace.intervalMs,
    toleranceMs: trace.intervalMs * 0.45,
  });
  const assertions = evaluate(attempt, settings);
  const failed = assertions.filter((a) => !a.passed);
  const observed = observeDelivery(attempt, {
    intervalMs: trace.intervalMs,
    windowMs: settings.bufferedWindowMs,
    invokeMode: trace.invokeMode,
  });
  return { assertions, failed, observed, trace };
}

describe("the delivery shape, told from recorded reads", () => {
  it.each<[string, DeliveryShapeName]>([
    ["prompt", "prompt"],
    ["next-write", "next-write"],
    ["next-write-sdk", "next-write"],
    ["next-write-ends-at-once", "next-write"],
    ["size-16KiB", "at-end"],
    ["size-16KiB-sdk", "at-end"],
    ["size-400", "size"],
    ["buffered-url", "at-end"],
  ])("%s reads as %s", (name, shape) => {
    expect(judge(name).observed.shape).toBe(shape);
  });

  it("passes the demo delivered promptly, with no note", () => {
    const { failed, assertions } = judge("prompt");
    expect(failed).toEqual([]);
    expect(assertions.filter((a) => a.note)).toEqual([]);
  });

  it.each(["next-write", "next-write-sdk"])(
    "passes the demo held until the next write (%s), with one note that names the shape",
    (name) => {
      const { failed, assertions, trace } = judge(name);
      expect(failed).toEqual([]);
      const notes = assertions.filter((a) => a.note).map((a) => a.note);
      expect(notes).toHaveLength(1);
      expect(notes[0]).toMatch(/^each sentence was held until the next write/);
      // The first line one interval late: allowed one interval more than the plain limit.
      expect(trace.firstByteMs).toBeGreaterThan(trace.intervalMs);
    },
  );

  it("fails a stream that ends right after its last write with the held-until-next cause, not buffering or the cadence", () => {
    const { failed } = judge("next-write-ends-at-once");
    expect(failed.map((a) => a.id)).toEqual(["chunks"]);
    expect(failed[0]?.reason).toMatch(
      /^each write was held until the next one .*ended right after the last write: end the stream one interval after the last line/,
    );
    expect(failed[0]?.reason).not.toMatch(/BUFFERED|interval .*differs|too slow|too fast/);
  });

  it.each(["size-16KiB", "size-16KiB-sdk"])(
    "fails a chunked stream held whole to the end (%s) with the size cause, never 'set the invoke mode'",
    (name) => {
      const { failed } = judge(name);
      expect(failed.map((a) => a.id)).toEqual(["chunks"]);
      expect(failed[0]?.reason).toMatch(
        /arrived together at the end.*the writes were held until the end .*16 KB to 100 KB/,
      );
      expect(failed[0]?.reason).not.toMatch(/BUFFERED|invoke mode/);
    },
  );

  it("fails lines released a few at a time with the size cause", () => {
    const { failed } = judge("size-400");
    expect(failed.map((a) => a.id)).toEqual(["chunks"]);
    expect(failed[0]?.reason).toMatch(
      /^the sentences came up to \d+ per read, in \d+ reads of up to \d+ bytes at uneven times: writes are held until a size is reached/,
    );
  });

  it("still calls an answer with a content-length, all at the end, a BUFFERED URL", () => {
    const { failed, trace } = judge("buffered-url");
    expect(trace.curl.chunked).toBe(false);
    expect(failed[0]?.reason).toMatch(
      /this URL is BUFFERED, not RESPONSE_STREAM \(set the Function URL's invoke mode/,
    );
  });

  it("passes the buffered twin as buffered", () => {
    expect(judge("buffered-url", "together").failed).toEqual([]);
  });
});
