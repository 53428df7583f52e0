import { describe, expect, it } from "vitest";
import { UsageError } from "../../../src/cli.js";
import {
  createDelivery,
  type DeliverySpec,
  describeDelivery,
  parseDelivery,
  REPORTED_PRELUDE_PAUSE_MS,
  REPORTED_SIZE_THRESHOLDS,
} from "../../../src/emulator/delivery/index.js";
import { nextWriteDelivery } from "../../../src/emulator/delivery/next-write.js";
import { preludeDelivery } from "../../../src/emulator/delivery/prelude.js";
import type { Delivery } from "../../../src/emulator/delivery/shape.js";
import { sizeDelivery } from "../../../src/emulator/delivery/size.js";

/** A write at a time; the end comes at `endAt`. */
type Trace = { writes: [atMs: number, text: string][]; endAt: number };
/** What leaves, and when: [ms, text] per release (held writes leave together). */
function run(delivery: Delivery, { writes, endAt }: Trace): [number, string][] {
  const out: [number, string][] = [];
  const emit = (atMs: number, chunks: Buffer[]) => {
    if (chunks.length > 0) out.push([atMs, Buffer.concat(chunks).toString("latin1")]);
  };
  for (const [atMs, text] of writes) emit(atMs, delivery.write(Buffer.from(text, "latin1"), atMs));
  emit(endAt, delivery.end());
  return out;
}

// The demo's shape: a sentence at 0, 1000, 2000, then the end one interval later.
const paced: Trace = {
  writes: [
    [0, "a\n"],
    [1000, "b\n"],
    [2000, "c\n"],
  ],
  endAt: 3000,
};
const endsAtOnce: Trace = { writes: paced.writes, endAt: 2001 };
const PRELUDE = `{"statusCode":200}${"\0".repeat(8)}`;

describe("next-write: each write held until the next write or the end", () => {
  it("releases each sentence one interval late, and the last at the end", () => {
    expect(run(nextWriteDelivery(), paced)).toEqual([
      [1000, "a\n"],
      [2000, "b\n"],
      [3000, "c\n"],
    ]);
  });

  it("puts the last two together when the stream ends right after the last write", () => {
    expect(run(nextWriteDelivery(), endsAtOnce)).toEqual([
      [1000, "a\n"],
      [2000, "b\n"],
      [2001, "c\n"],
    ]);
  });
});

describe("size: writes held until N bytes are pending or the end", () => {
  it("holds a small text to the end", () => {
    expect(run(sizeDelivery(16 * 1024), paced)).toEqual([[3000, "a\nb\nc\n"]]);
  });

  it("releases everything pending once the threshold is reached", () => {
    expect(run(sizeDelivery(4), paced)).toEqual([
      [1000, "a\nb\n"],
      [3000, "c\n"],
    ]);
  });

  it("lets a write as large as the threshold through at once", () => {
    expect(run(sizeDelivery(2), paced).map(([at]) => at)).toEqual([0, 1000, 2000]);
  });
});

describe("prelude: the body held to the end unless its first write comes M ms after the prelude", () => {
  const withPrelude = (pauseMs: number): Trace => ({
    writes: [
      [0, PRELUDE.slice(0, -8)],
      [0, PRELUDE.slice(-8)],
      [pauseMs, "a\n"],
      [pauseMs + 1000, "b\n"],
    ],
    endAt: pauseMs + 2000,
  });

  it("streams the body when the first write leaves a pause of M ms", () => {
    expect(run(preludeDelivery(25, { prelude: true }), withPrelude(25)).map(([at]) => at)).toEqual([
      0, 0, 25, 1025,
    ]);
  });

  it("holds the whole body to the end when the first write comes sooner", () => {
    expect(run(preludeDelivery(25, { prelude: true }), withPrelude(24))).toEqual([
      [0, PRELUDE.slice(0, -8)],
      [0, PRELUDE.slice(-8)],
      [2024, "a\nb\n"],
    ]);
  });

  it("holds it when the prelude and the first sentence come in one write", () => {
    const trace: Trace = {
      writes: [
        [0, `${PRELUDE}a\n`],
        [1000, "b\n"],
      ],
      endAt: 2000,
    };
    expect(run(preludeDelivery(25, { prelude: true }), trace)).toEqual([[2000, `${PRELUDE}a\nb\n`]]);
  });

  it("finds a delimiter split across writes", () => {
    const trace: Trace = {
      writes: [
        [0, PRELUDE.slice(0, -3)],
        [0, `${PRELUDE.slice(-3)}a\n`],
      ],
      endAt: 1000,
    };
    expect(run(preludeDelivery(25, { prelude: true }), trace)).toEqual([
      [0, PRELUDE.slice(0, -3)],
      [1000, `${PRELUDE.slice(-3)}a\n`],
    ]);
  });

  it("delivers a stream without a prelude as written", () => {
    expect(run(preludeDelivery(25, { prelude: false }), paced).map(([at]) => at)).toEqual([0, 1000, 2000]);
  });
});

describe("--delivery", () => {
  it.each<[string | undefined, DeliverySpec]>([
    [undefined, { kind: "prompt" }],
    ["prompt", { kind: "prompt" }],
    ["next-write", { kind: "next-write" }],
    ["size", { kind: "size", bytes: REPORTED_SIZE_THRESHOLDS.small }],
    ["size:16KiB", { kind: "size", bytes: 16_384 }],
    ["size:100KB", { kind: "size", bytes: 100_000 }],
    ["size:512", { kind: "size", bytes: 512 }],
    ["prelude", { kind: "prelude", pauseMs: REPORTED_PRELUDE_PAUSE_MS }],
    ["prelude:40", { kind: "prelude", pauseMs: 40 }],
  ])("reads %s", (raw, spec) => {
    expect(parseDelivery(raw)).toEqual(spec);
    if (raw && raw !== "prompt" && raw.includes(":"))
      expect(parseDelivery(describeDelivery(spec))).toEqual(spec);
  });

  it.each(["held", "size:0", "size:lots", "prelude:-1", "next-write:3", "prelude:1.5"])(
    "refuses %s in one line that lists the forms",
    (raw) => {
      expect(() => parseDelivery(raw)).toThrow(UsageError);
      expect(() => parseDelivery(raw)).toThrow(
        /^--delivery .*: expected prompt, next-write, size\[:BYTES\] \(e\.g\. size:16KiB\) or prelude\[:MS\]/,
      );
    },
  );

  it("adds no stage at all for prompt, so the default path costs nothing", () => {
    expect(createDelivery({ kind: "prompt" }, { prelude: false })).toBeUndefined();
  });
});
