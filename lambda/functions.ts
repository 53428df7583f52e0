/**
 * Your function table: one row per function this repository serves locally (`npm start`),
 * deploys (infra/index.ts), checks after each deploy and reports in the PR comment. Adding a
 * function is a row here plus its handler file (README, "Add your own function"); the kit
 * (packages/lambda-stream-kit) reads this file and nothing else of yours.
 *
 * The two rows below and lambda/demo/ are the demo (and test/demo/ its tests): delete them
 * when your own rows are in.
 */
import { DEMO_PAGE_ORIGINS, type FunctionSpec, type UrlCors } from "lambda-stream-kit";
import { SPEECH_NOSNIFF_ENV } from "./demo/handler.js";
import {
  DEFAULT_SENTENCE_INTERVAL_MS,
  SENTENCE_INTERVAL_ENV,
  SENTENCES,
  speechDurationMs,
} from "./demo/speech.js";

/**
 * The demo page (`npm start` serves it) reads both URLs with fetch(), from its own origin, as
 * a web app on another origin would read the deployed URLs.
 */
const DEMO_PAGE_CORS: UrlCors = {
  allowOrigins: DEMO_PAGE_ORIGINS,
  allowMethods: ["GET"],
  exposeHeaders: ["x-amzn-RequestId"],
  maxAge: 300,
};

/** The speech, one sentence a second; the timeout covers it plus 5 s for a cold start. */
const SPEECH = {
  entry: "lambda/demo/index.ts",
  interval: { ms: DEFAULT_SENTENCE_INTERVAL_MS, env: SENTENCE_INTERVAL_ENV },
  timeoutS: Math.max(30, Math.ceil(speechDurationMs(DEFAULT_SENTENCE_INTERVAL_MS) / 1000) + 5),
  cors: DEMO_PAGE_CORS,
} as const;

export const FUNCTIONS: readonly FunctionSpec[] = [
  {
    ...SPEECH,
    name: "stream",
    invokeMode: "RESPONSE_STREAM",
    // Also behind a REST API (where custom domains, API keys and authorizers live).
    restApi: true,
    // A browser pointed at the URL renders each sentence as it arrives.
    environment: { [SPEECH_NOSNIFF_ENV]: "1" },
    // Every sentence, in order, each in its own read, one interval apart.
    check: { expect: { lines: { text: SENTENCES, arrive: "paced" } } },
  },
  {
    ...SPEECH,
    name: "buffer",
    invokeMode: "BUFFERED",
    // The buffered twin: the same sentences, all at once at the end.
    check: { expect: { lines: { text: SENTENCES, arrive: "together" } } },
  },
];
