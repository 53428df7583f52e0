import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { eventDoor, httpResponseStream, restApiCors } from "lambda-stream-kit/handler";
import { SENTENCES } from "./speech.js";

export const SPEECH_CONTENT_TYPE = "text/plain; charset=utf-8";

/**
 * Set to "1" on a row whose URL streams the speech: the handler then sends
 * `X-Content-Type-Options: nosniff` to Function URL callers so browsers render it as it
 * arrives. Not on the buffered row: what a BUFFERED URL makes of a prelude is not
 * documented by AWS, and an answer that arrives whole needs no progressive rendering.
 */
export const SPEECH_NOSNIFF_ENV = "SPEECH_NOSNIFF";

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
 * The pause between the prelude and the first sentence. Users report that after an
 * `HttpResponseStream.from()` prelude 15-20 % of responses are held to the end unless ~25 ms
 * pass before the first body write (aws-lambda-nodejs-runtime-interface-client#94). 250 ms: a
 * reader that stalls as long (a busy service, or the emulator beside a second test suite: 100
 * ms was once not enough there) reads the two together and cannot tell there was a pause.
 */
export const PRELUDE_PAUSE_MS = 250;

/**
 * Streams one sentence per line: the first at once (time to first byte must not wait an
 * interval), then one every `intervalMs`, and ends one interval after the last. Real Function
 * URLs are reported to hold a small write until the next write or the end arrives
 * (serverless-adapter#166, hono#1678): then every sentence comes one interval late but still
 * one interval apart, and the pause before the end keeps the last one from arriving together
 * with the one before it. `pipeline()` is what AWS recommends for response streams: it waits
 * for `drain` when the client reads slowly, and it ends the stream on success or destroys it
 * on failure, so an invocation never hangs to its timeout.
 */
export function createSpeechHandler(options: SpeechHandlerOptions): awslambda.StreamingHandler {
  const { intervalMs, sentences = SENTENCES, nosniff = false } = options;
  return async (event, responseStream) => {
    let body = responseStream;
    // A REST API door requires the prelude (status, headers); a Function URL takes one for
    // nosniff; an SDK caller would get its bytes, so it gets none.
    const door = eventDoor(event);
    // Behind a REST API nothing adds CORS headers: the function answers preflights and adds them.
    const cors = door === "rest-api" ? restApiCors(event) : { preflight: undefined, headers: {} };
    if (cors.preflight) {
      const answer = httpResponseStream(responseStream, { statusCode: 200, headers: cors.preflight });
      answer.write("");
      answer.end();
      return;
    }
    if (door === "rest-api" || (nosniff && door === "function-url")) {
      const type = nosniff ? { ...NOSNIFF_HEADERS } : { "content-type": SPEECH_CONTENT_TYPE };
      const headers = { ...type, ...cors.headers };
      body = httpResponseStream(responseStream, { statusCode: 200, headers });
      // Both runtime clients send the prelude just before the first write() (their
      // _onBeforeFirstWrite), in the same chunk run as the first sentence. An empty write sends
      // the prelude alone (Node's chunked encoding sends no empty chunk), so the pause below is
      // a pause on the wire too.
      body.write("");
      await delay(PRELUDE_PAUSE_MS);
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
  await delay(intervalMs);
}

// The global timer (not node:timers/promises) so tests can drive it with fake timers.
function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
