import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../lambda/contract.js";
import { SENTENCES } from "../../lambda/src/speech.js";
import { UsageError } from "../../scripts/lib/cli.js";
import { otherSentences, SPEECH_FILE, withSentences } from "../../scripts/lib/other-speech.js";

const source = readFileSync(join(REPO_ROOT, SPEECH_FILE), "utf8");

describe("another text for the speech", () => {
  it.each([2, 4, 13])("gives %i distinct one-line sentences, none of the speech's", (count) => {
    const sentences = otherSentences(count, SENTENCES);
    expect(sentences).toHaveLength(count);
    expect(new Set(sentences).size).toBe(count);
    for (const sentence of sentences) {
      expect(sentence).toBe(sentence.trim());
      expect(sentence).not.toMatch(/[\r\n]/);
      expect(SENTENCES).not.toContain(sentence);
    }
  });

  it("replaces only the SENTENCES list of the real speech module", () => {
    const sentences = otherSentences(3, SENTENCES);
    const swapped = withSentences(source, sentences);
    const declaration = "export const SENTENCES: readonly string[] = Object.freeze([";
    const [before, after] = [source.indexOf(declaration), source.indexOf("]);", source.indexOf(declaration))];
    expect(swapped.slice(0, before)).toBe(source.slice(0, before));
    expect(swapped.endsWith(source.slice(after + 3))).toBe(true);
    for (const sentence of sentences) expect(swapped).toContain(`  ${JSON.stringify(sentence)},\n`);
    for (const sentence of SENTENCES) expect(swapped).not.toContain(JSON.stringify(sentence));
    expect(withSentences(swapped, sentences)).toBe(swapped);
  });

  it("steps over sentences to avoid, still distinct", () => {
    const avoid = otherSentences(2);
    const sentences = otherSentences(8, avoid);
    expect(sentences).toHaveLength(8);
    expect(new Set([...avoid, ...sentences]).size).toBe(10);
  });

  it("refuses a speech module whose list it cannot find, naming the shape it needs", () => {
    expect(() => withSentences("export const SENTENCES = [];\n", ["A."])).toThrow(UsageError);
    expect(() => withSentences("export const SENTENCES = [];\n", ["A."])).toThrow(
      /lambda\/src\/speech\.ts has no "export const SENTENCES: readonly string\[\] = Object\.freeze\(\[ … \]\);" to replace/,
    );
  });
});
