// The demo's Lambda entry point: `index.handler` in the bundle. Both demo rows (streaming and
// buffered) serve this one handler so that a comparison of the two isolates the invoke mode.
import { streamify } from "lambda-stream-kit/handler";
import { createSpeechHandler, SPEECH_NOSNIFF_ENV } from "./handler.js";
import { sentenceIntervalFromEnv } from "./speech.js";

// Read at init: a bad SENTENCE_INTERVAL_MS fails the cold start with a message naming it.
const intervalMs = sentenceIntervalFromEnv(process.env);

const nosniff = process.env[SPEECH_NOSNIFF_ENV] === "1";

export const handler = streamify(createSpeechHandler({ intervalMs, nosniff }));
