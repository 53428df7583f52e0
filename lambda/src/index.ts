// The Lambda entry point: `index.handler` in the bundle. Both Function URLs (streaming and
// buffered) serve this one handler so that a comparison of the two isolates the invoke mode.
import { SPEECH_NOSNIFF_ENV } from "../contract.js";
import { createSpeechHandler } from "./handler.js";
import { sentenceIntervalFromEnv } from "./speech.js";
import { streamify } from "./streamify.js";

// Read at init: a bad SENTENCE_INTERVAL_MS fails the cold start with a message naming it.
const intervalMs = sentenceIntervalFromEnv(process.env);

const nosniff = process.env[SPEECH_NOSNIFF_ENV] === "1";

export const handler = streamify(createSpeechHandler({ intervalMs, nosniff }));
