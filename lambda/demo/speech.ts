/**
 * The Gettysburg Address, Bliss copy (Lincoln's final, signed version; public domain),
 * one entry per sentence. The handler streams it and the demo's rows expect it (lambda/functions.ts),
 * so the text exists exactly once.
 */
export const SENTENCES: readonly string[] = Object.freeze([
  "Four score and seven years ago our fathers brought forth on this continent, a new nation, conceived in Liberty, and dedicated to the proposition that all men are created equal.",
  "Now we are engaged in a great civil war, testing whether that nation, or any nation so conceived and so dedicated, can long endure.",
  "We are met on a great battle-field of that war.",
  "We have come to dedicate a portion of that field, as a final resting place for those who here gave their lives that that nation might live.",
  "It is altogether fitting and proper that we should do this.",
  "But, in a larger sense, we can not dedicate—we can not consecrate—we can not hallow—this ground.",
  "The brave men, living and dead, who struggled here, have consecrated it, far above our poor power to add or detract.",
  "The world will little note, nor long remember what we say here, but it can never forget what they did here.",
  "It is for us the living, rather, to be dedicated here to the unfinished work which they who fought here have thus far so nobly advanced.",
  "It is rather for us to be here dedicated to the great task remaining before us—that from these honored dead we take increased devotion to that cause for which they gave the last full measure of devotion—that we here highly resolve that these dead shall not have died in vain—that this nation, under God, shall have a new birth of freedom—and that government of the people, by the people, for the people, shall not perish from the earth.",
]);

/** The environment variable that sets the pause between sentences. */
export const SENTENCE_INTERVAL_ENV = "SENTENCE_INTERVAL_MS";
/** The demo's pace: one sentence a second, as the blog post's sample streams it. */
export const DEFAULT_SENTENCE_INTERVAL_MS = 1000;
/** 10 s keeps even a long speech inside Lambda's 900 s. */
export const MAX_SENTENCE_INTERVAL_MS = 10_000;

/**
 * Reads the sentence interval from an environment. Unset or empty means the default;
 * anything else must be a whole number of milliseconds in [0, MAX]. Throwing here runs
 * at module load, so a misconfigured function fails at init (Runtime.ImportModuleError
 * on AWS) instead of streaming at a surprising pace.
 */
export function sentenceIntervalFromEnv(env: Record<string, string | undefined>): number {
  const raw = env[SENTENCE_INTERVAL_ENV];
  if (raw === undefined || raw.trim() === "") return DEFAULT_SENTENCE_INTERVAL_MS;
  const value = Number(raw.trim());
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value > MAX_SENTENCE_INTERVAL_MS) {
    throw new RangeError(
      `${SENTENCE_INTERVAL_ENV}=${JSON.stringify(raw)} is invalid: set it to a whole number of milliseconds from 0 to ${MAX_SENTENCE_INTERVAL_MS} (default ${DEFAULT_SENTENCE_INTERVAL_MS}), or unset it.`,
    );
  }
  return value;
}

/**
 * How long the handler streams at this interval: one interval per sentence, since it ends one
 * interval after the last (see handler.ts).
 */
export function speechDurationMs(intervalMs: number): number {
  return SENTENCES.length * intervalMs;
}

/** The exact bytes the handler streams: each sentence followed by a newline. */
export function speechLines(): string[] {
  return SENTENCES.map((sentence) => `${sentence}\n`);
}
