import { describe, expect, it } from "vitest";
import type { CheckResult } from "../../../src/stream-check/check.js";
import {
  progressLine,
  toJson,
  toMarkdown,
  useColour,
  verdictText,
} from "../../../src/stream-check/report.js";
import { SENTENCES } from "../../helpers/project.js";

const arrival = (text: string, atMs: number) => ({ atMs, bytes: Buffer.from(text), read: 1 });
// Longer than any terminal line, whatever the speech is.
const longest = `${SENTENCES[0] ?? ""} ${"and so on ".repeat(20)}`.trim();

describe("progress lines", () => {
  it.each([80, 100, 132])("fit a %i-column terminal, the sentence cut to the width left", (columns) => {
    for (const gap of [0, 1000, 5000]) {
      const line = progressLine("streaming", 9, arrival(longest, 9000 + gap), 9000, 1000, columns);
      expect([...line].length).toBeLessThanOrEqual(columns);
      expect(line).toMatch(/…$/);
    }
  });

  it("shows a short sentence whole", () => {
    expect(progressLine("buffered", 0, arrival("Short.", 12), undefined, 1000)).toMatch(/ Short\.$/);
  });
});

describe("the verdict", () => {
  const result = {
    target: {
      label: "stream",
      url: "http://127.0.0.1:3000/",
      expect: { lines: { text: SENTENCES, arrive: "paced" } },
    },
    assertions: [
      { id: "status", title: "HTTP status", expected: "200", actual: "200", passed: true },
      {
        id: "gaps",
        title: "gap between sentences",
        expected: "1000 ms",
        actual: "2000 ms",
        passed: false,
        reason: "r",
      },
    ],
    passed: false,
    attempts: [],
    settings: { sentences: SENTENCES },
    delivery: {
      shape: "prompt",
      description: "delivered promptly",
      firstByteMs: 5,
      largestReadBytes: 120,
      reads: 10,
      mostLinesInOneRead: 1,
    },
  } as unknown as CheckResult;

  it("colours ok and FAIL only when asked, and is plain text otherwise", () => {
    expect(verdictText([result], true)).toContain("\u001b[32mok  \u001b[0m");
    expect(verdictText([result], true)).toContain("\u001b[31mFAIL\u001b[0m");
    expect(verdictText([result], false)).not.toContain("\u001b[");
  });

  it("gives the PR comment and the step summary one delivery line per door, and each pass's note", () => {
    const sdk = {
      ...result,
      target: { ...result.target, label: "stream·sdk" },
      final: { arrivals: [], tail: Buffer.alloc(0), bytesReceived: 0, firstByteMs: 1300, curl: {} },
      assertions: [
        {
          id: "delivery",
          title: "delivery",
          expected: "e",
          actual: "a",
          passed: true,
          note: "each sentence was held until the next write",
        },
      ],
      passed: true,
      delivery: {
        ...result.delivery,
        shape: "next-write",
        description: "each write held until the next one",
      },
    } as unknown as CheckResult;
    const markdown = toMarkdown([{ ...result, final: sdk.final } as CheckResult, sdk]);
    expect(markdown).toContain(
      "- stream: delivered promptly (first byte 5 ms, largest read 120 B in 10 reads)",
    );
    expect(markdown).toContain(
      "- stream·sdk: each write held until the next one (first byte 5 ms, largest read 120 B in 10 reads)",
    );
    expect(markdown).toContain("- ℹ️ stream·sdk: each sentence was held until the next write");
  });

  it("keeps every read (when, how many bytes) and the delivery shape in the JSON report", () => {
    const withReads = {
      ...result,
      settings: { sentences: SENTENCES },
      final: {
        arrivals: [arrival("a", 10), { ...arrival("b", 20), read: 2 }],
        tail: Buffer.alloc(0),
        bytesReceived: 4,
        firstByteMs: 10,
        reads: [
          { atMs: 10.04, bytes: 2 },
          { atMs: 20.06, bytes: 2 },
        ],
        curl: {},
      },
    } as unknown as CheckResult;
    const [check] = toJson([withReads]).checks;
    expect(check?.reads).toEqual([
      { atMs: 10, bytes: 2 },
      { atMs: 20.1, bytes: 2 },
    ]);
    expect(check?.delivery.shape).toBe("prompt");
    expect(check?.arrivals.map((a) => a.read)).toEqual([1, 2]);
  });

  it("names how the bytes came, with the first byte and the largest read", () => {
    expect(verdictText([result], false)).toContain(
      "  delivery: delivered promptly (first byte 5 ms, largest read 120 B in 10 reads)",
    );
  });

  it("asks for colour on a terminal unless NO_COLOR is set", () => {
    expect(useColour({ isTTY: true }, {})).toBe(true);
    expect(useColour({ isTTY: true }, { NO_COLOR: "1" })).toBe(false);
    expect(useColour({ isTTY: false }, {})).toBe(false);
  });
});
