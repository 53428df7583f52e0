/**
 * The table of functions: one row per function this repository serves locally, deploys,
 * checks after a deploy and reports in the PR comment. Adding a function is one row here
 * plus its handler file; nothing else needs an edit (see README, "Add your own function").
 * It imports only the contract, so every layer may read it.
 */
import {
  type AuthType,
  DEMO_PAGE_ORIGINS,
  type InvokeMode,
  SPEECH_NOSNIFF_ENV,
  type UrlCors,
} from "./contract.js";

/** The request the post-deploy check sends (default: GET /). */
export interface CheckRequest {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path?: string;
  headers?: Record<string, string>;
  body?: string;
}

/** What the answer must look like. A row that says nothing gets "2xx, and progressive if streamed". */
export interface Expectations {
  /** Exact status (default: any 2xx). */
  status?: number;
  /** The content type starts with this, e.g. "text/plain". */
  contentType?: string;
  /** The whole body: exact text, a regular expression, or one JSON value per line. */
  body?: { text: string } | { regex: string } | { jsonLines: true };
  /** At least this many separately arriving lines. */
  minChunks?: number;
  /** The first byte within this many ms. */
  maxTtfbMs?: number;
  /** The first byte arrives at least this many ms before the last (it really streams). */
  progressiveMs?: number;
  /**
   * The demo's strict checks: every sentence of the speech once, in order, one per chunk,
   * at the configured interval ("streaming"), or all at once at the end ("buffered").
   */
  speech?: "streaming" | "buffered";
}

export interface FunctionSpec {
  /** Short and `[a-z0-9-]`: part of every AWS name, the key of the stack's `urls` output. */
  name: string;
  /** The handler's source file, relative to the repository root (bundled with esbuild). */
  entry: string;
  /** The export Lambda calls (default `handler`). */
  export?: string;
  invokeMode: InvokeMode;
  /** Default: the stack's `authType` config. */
  authType?: AuthType;
  /** Default: the stack's `memoryMb` config. */
  memoryMb?: number;
  /** Default: the stack's `timeoutS` config. */
  timeoutS?: number;
  /** The Function URL's CORS (default none, as on AWS): which web pages may read it. */
  cors?: UrlCors;
  /** Extra environment variables (the stack adds SENTENCE_INTERVAL_MS to every function). */
  environment?: Record<string, string>;
  /** The post-deploy check: the request and the expectations. */
  check?: { request?: CheckRequest; expect?: Expectations };
}

/**
 * The demo page (`npm start` serves it on DEMO_PAGE_PORT) reads both URLs with fetch(),
 * from its own origin, as a web app on another origin would read the deployed URLs.
 */
const DEMO_PAGE_CORS: UrlCors = {
  allowOrigins: DEMO_PAGE_ORIGINS,
  allowMethods: ["GET"],
  exposeHeaders: ["x-amzn-RequestId"],
  maxAge: 300,
};

export const FUNCTIONS: readonly FunctionSpec[] = [
  {
    name: "stream",
    entry: "lambda/src/index.ts",
    invokeMode: "RESPONSE_STREAM",
    cors: DEMO_PAGE_CORS,
    // A browser pointed at the URL renders each sentence as it arrives.
    environment: { [SPEECH_NOSNIFF_ENV]: "1" },
    check: { expect: { speech: "streaming" } },
  },
  {
    name: "buffer",
    entry: "lambda/src/index.ts",
    invokeMode: "BUFFERED",
    cors: DEMO_PAGE_CORS,
    check: { expect: { speech: "buffered" } },
  },
];

/** A row by name, or an error that lists the names there are. */
export function functionNamed(name: string, functions: readonly FunctionSpec[] = FUNCTIONS): FunctionSpec {
  const found = functions.find((fn) => fn.name === name);
  if (!found) {
    throw new Error(
      `no function named ${JSON.stringify(name)} in lambda/functions.ts (${functions.map((f) => f.name).join(", ")})`,
    );
  }
  return found;
}

/** Every row's name is usable in AWS names and unique. */
export function validateFunctions(functions: readonly FunctionSpec[]): void {
  const seen = new Set<string>();
  for (const fn of functions) {
    if (!/^[a-z0-9](?:[a-z0-9-]{0,14}[a-z0-9])?$/.test(fn.name)) {
      throw new Error(
        `function name ${JSON.stringify(fn.name)}: use 1 to 16 of [a-z0-9-], not starting or ending with '-'`,
      );
    }
    if (seen.has(fn.name))
      throw new Error(`function name ${JSON.stringify(fn.name)} appears twice in lambda/functions.ts`);
    seen.add(fn.name);
  }
}
