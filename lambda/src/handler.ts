import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { SENTENCES } from "./speech.js";

export const SPEECH_CONTENT_TYPE = "text/plain; charset=utf-8";

export interface SpeechHandlerOptions {
  intervalMs: number;
  sentences?: readonly string[];
}

/**
 * Streams one sentence per line: the first at once (time to first byte must not wait an
 * interval), then one every `intervalMs`. `pipeline()` is what AWS recommends for
 * response streams: it waits for `drain` when the client reads slowly, and it ends the
 * stream on success or destroys it on failure, so an invocation never hangs to its timeout.
 */
export function createSpeechHandler(options: SpeechHandlerOptions): awslambda.StreamingHandler {
  const { intervalMs, sentences = SENTENCES } = options;
  return async (_event, responseStream) => {
    responseStream.setContentType(SPEECH_CONTENT_TYPE);
    await pipeline(Readable.from(pacedLines(sentences, intervalMs)), responseStream);
  };
}

async function* pacedLines(sentences: readonly string[], intervalMs: number): AsyncGenerator<string> {
  for (const [index, sentence] of sentences.entries()) {
    if (index > 0) await delay(intervalMs);
    yield `${sentence}\n`;
  }
}

// The global timer (not node:timers/promises) so tests can drive it with fake timers.
function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
