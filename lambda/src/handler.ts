import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { SENTENCES } from "./speech.js";
import { httpResponseStream } from "./streamify.js";

export const SPEECH_CONTENT_TYPE = "text/plain; charset=utf-8";

export interface SpeechHandlerOptions {
  intervalMs: number;
  sentences?: readonly string[];
  /**
   * Send `X-Content-Type-Options: nosniff` to Function URL callers, so a browser renders
   * each sentence as it arrives: without it Chromium holds a chunked text/plain body to
   * sniff its type and shows nothing until it ends. A streamed function can set a header
   * only through the HttpResponseStream prelude.
   */
  nosniff?: boolean;
}

/** The header a browser needs to render a streamed text/plain body as it arrives. */
export const NOSNIFF_HEADERS = {
  "content-type": SPEECH_CONTENT_TYPE,
  "x-content-type-options": "nosniff",
} as const;

/**
 * A Function URL's event (payload format 2.0). Only a Function URL turns a prelude into
 * headers; InvokeWithResponseStream callers would get its bytes, so they get none.
 */
export function isFunctionUrlEvent(event: unknown): boolean {
  const http = (event as { requestContext?: { http?: unknown } } | null)?.requestContext?.http;
  return typeof http === "object" && http !== null;
}

/**
 * Streams one sentence per line: the first at once (time to first byte must not wait an
 * interval), then one every `intervalMs`. `pipeline()` is what AWS recommends for
 * response streams: it waits for `drain` when the client reads slowly, and it ends the
 * stream on success or destroys it on failure, so an invocation never hangs to its timeout.
 */
export function createSpeechHandler(options: SpeechHandlerOptions): awslambda.StreamingHandler {
  const { intervalMs, sentences = SENTENCES, nosniff = false } = options;
  return async (event, responseStream) => {
    let body = responseStream;
    if (nosniff && isFunctionUrlEvent(event)) {
      body = httpResponseStream(responseStream, { statusCode: 200, headers: { ...NOSNIFF_HEADERS } });
    } else {
      responseStream.setContentType(SPEECH_CONTENT_TYPE);
    }
    await pipeline(Readable.from(pacedLines(sentences, intervalMs)), body);
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
