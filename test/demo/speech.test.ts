import { MIN_PACED_LINES as MIN_SENTENCES } from "lambda-stream-kit";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_SENTENCE_INTERVAL_MS,
  SENTENCES,
  sentenceIntervalFromEnv,
  speechLines,
} from "../../lambda/demo/speech.js";

// The template ships the Gettysburg Address; a user may replace the text with any other
// sentences, and every other test derives its counts from SENTENCES.
const isBliss = SENTENCES[0]?.startsWith("Four score and seven years ago") ?? false;

describe("speech", () => {
  it("is a list of three or more distinct, trimmed, one-line sentences (what the stream check can judge)", () => {
    expect(
      SENTENCES.length,
      `give lambda/demo/speech.ts ${MIN_SENTENCES} sentences or more (see MIN_SENTENCES)`,
    ).toBeGreaterThanOrEqual(MIN_SENTENCES);
    expect(new Set(SENTENCES).size).toBe(SENTENCES.length);
    for (const sentence of SENTENCES) expect(sentence).toBe(sentence.trim());
    for (const sentence of SENTENCES) expect(sentence.length).toBeGreaterThan(0);
  });

  it.runIf(isBliss)(
    "as the Gettysburg Address, holds the complete Bliss copy: 10 sentences, 272 words",
    () => {
      expect(SENTENCES).toHaveLength(10);
      expect(SENTENCES[0]).toMatch(/^Four score and seven years ago/);
      expect(SENTENCES[9]).toMatch(/shall not perish from the earth\.$/);
      // The often-quoted 272 counts "battle-field" as two words.
      const words = SENTENCES.join(" ")
        .split(/[\s—-]+/)
        .filter(Boolean);
      expect(words).toHaveLength(272);
    },
  );

  it("has no sentence with a newline inside (one line per sentence on the wire)", () => {
    for (const sentence of SENTENCES) expect(sentence).not.toMatch(/[\r\n]/);
    expect(speechLines().join("")).toBe(`${SENTENCES.join("\n")}\n`);
  });

  it("is frozen so no consumer can change the single source of truth", () => {
    expect(Object.isFrozen(SENTENCES)).toBe(true);
  });
});

describe("sentenceIntervalFromEnv", () => {
  it("defaults to 1000 ms when unset or empty", () => {
    expect(sentenceIntervalFromEnv({})).toBe(DEFAULT_SENTENCE_INTERVAL_MS);
    expect(sentenceIntervalFromEnv({ SENTENCE_INTERVAL_MS: "" })).toBe(1000);
  });

  it("accepts whole milliseconds from 0 to 10000", () => {
    expect(sentenceIntervalFromEnv({ SENTENCE_INTERVAL_MS: "0" })).toBe(0);
    expect(sentenceIntervalFromEnv({ SENTENCE_INTERVAL_MS: " 250 " })).toBe(250);
    expect(sentenceIntervalFromEnv({ SENTENCE_INTERVAL_MS: "10000" })).toBe(10000);
  });

  it.each(["abc", "-1", "10001", "1.5", "1e3", "0x10", "NaN", "Infinity"])(
    "rejects %j naming the variable and the allowed range",
    (value) => {
      expect(() => sentenceIntervalFromEnv({ SENTENCE_INTERVAL_MS: value })).toThrow(
        /SENTENCE_INTERVAL_MS=.* is invalid: set it to a whole number of milliseconds from 0 to 10000/,
      );
    },
  );
});
