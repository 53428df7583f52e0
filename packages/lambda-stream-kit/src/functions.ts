/**
 * The shape of a function table: one row per function a project serves locally, deploys,
 * checks after a deploy and reports in the PR comment. The table itself is the project's
 * (its `lambda/functions.ts`, named by `lambdaStreamKit.functions` in its package.json); the
 * kit only reads it, and imports nothing of the project.
 */
import type { AuthType, InvokeMode, UrlCors } from "./contract.js";
import { CORS_ENV } from "./handler/cors.js";

/** The request the post-deploy check sends (default: GET /). */
export interface CheckRequest {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path?: string;
  headers?: Record<string, string>;
  body?: string;
}

/**
 * Lines that must arrive exactly, in order, each in its own read: text, NDJSON or SSE alike.
 * `paced`: the first at once, then one every interval (the row's `interval.ms`), ending one
 * interval after the last; `together`: all at once, at the end (what a buffered URL sends).
 */
export interface LinesExpectation {
  /** The lines, without their newlines. */
  text: readonly string[];
  arrive: "paced" | "together";
}

/** What the answer must look like. A row that says nothing gets "2xx, and progressive if streamed". */
export interface Expectations {
  /** Exact status (default: any 2xx; 200 with `lines`). */
  status?: number;
  /** The content type starts with this, e.g. "text/plain" (default with `lines`: text/plain). */
  contentType?: string;
  /** The whole body: exact text, a regular expression, or one JSON value per line. */
  body?: { text: string } | { regex: string } | { jsonLines: true };
  /** At least this many separately arriving lines. */
  minChunks?: number;
  /** The first byte within this many ms. */
  maxTtfbMs?: number;
  /** The first byte arrives at least this many ms before the last (it really streams). */
  progressiveMs?: number;
  /** The strict checks: these lines, in this order, each in its own read, at this pace. */
  lines?: LinesExpectation;
}

/**
 * The pause a function leaves between writes, and the environment variable it reads it from:
 * the stack and the emulator set the variable, the check expects lines this far apart, and
 * tests may run the row faster (`npm start -- --interval-ms 100`).
 */
export interface RowInterval {
  ms: number;
  env: string;
}

/** An IAM policy statement a row grants its function's role (capped by the permissions boundary). */
export interface PolicyStatement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

/** REST API endpoint types (API Gateway's EndpointConfiguration types). */
export const REST_ENDPOINT_TYPES = ["REGIONAL", "EDGE", "PRIVATE"] as const;
export type RestEndpointType = (typeof REST_ENDPOINT_TYPES)[number];

/**
 * A REST API in front of a row's function (API Gateway streams a Lambda proxy integration's
 * response since 2025-11-19): where a Function URL cannot go (custom domains, API keys, usage
 * plans, WAF, Cognito or Lambda authorizers).
 */
export interface RestApiSettings {
  /** The stage, the first part of the path (default "api"). */
  stageName?: string;
  /** Default REGIONAL (an idle timeout of 5 minutes; EDGE's is 30 s). */
  endpointType?: RestEndpointType;
}

export interface FunctionSpec {
  /** Short and `[a-z0-9-]`: part of every AWS name, the key of the stack's `urls` output. */
  name: string;
  /** The handler's source file, relative to the project root (bundled with esbuild). */
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
  /** Extra environment variables. */
  environment?: Record<string, string>;
  /** The function's pace, when it writes at an interval (see RowInterval). */
  interval?: RowInterval;
  /** Statements added to the function's role (what it may call: a table, a bucket…). */
  permissions?: PolicyStatement[];
  /**
   * Other `aws.lambda.Function` arguments, passed through as they are (layers,
   * reservedConcurrentExecutions, vpcConfig, ephemeralStorage…). The kit's own (name, role,
   * runtime, architectures, handler, code, memorySize, timeout, environment, loggingConfig,
   * tags) cannot be overridden here: use the row's fields above.
   */
  functionArgs?: Record<string, unknown>;
  /** Also serve it through a REST API (`true` for the defaults). RESPONSE_STREAM rows only. */
  restApi?: true | RestApiSettings;
  /** The post-deploy check: the request and the expectations. */
  check?: { request?: CheckRequest; expect?: Expectations };
}

/** A row's REST API door with its defaults, or undefined when it has none. */
export function restApiOf(spec: FunctionSpec): Required<RestApiSettings> | undefined {
  if (!spec.restApi) return undefined;
  const own = spec.restApi === true ? {} : spec.restApi;
  return { stageName: own.stageName ?? "api", endpointType: own.endpointType ?? "REGIONAL" };
}

/**
 * The fewest paced lines a row may expect: the check tells one slow gap from a steady other
 * interval by comparing gaps, so it needs two gaps at least.
 */
export const MIN_PACED_LINES = 3;

/** A row by name, or an error that lists the names there are. */
export function functionNamed(name: string, functions: readonly FunctionSpec[]): FunctionSpec {
  const found = functions.find((fn) => fn.name === name);
  if (!found) {
    throw new Error(
      `no function named ${JSON.stringify(name)} in the function table (${functions.map((f) => f.name).join(", ")})`,
    );
  }
  return found;
}

/** The arguments of aws.lambda.Function a row may not pass through `functionArgs`: the kit sets them. */
export const KIT_FUNCTION_ARGS = [
  "name",
  "role",
  "runtime",
  "architectures",
  "handler",
  "code",
  "memorySize",
  "timeout",
  "environment",
  "loggingConfig",
  "tags",
] as const;

/** Every row's name is usable in AWS names and unique, and what it states is consistent. */
export function validateFunctions(functions: readonly FunctionSpec[]): void {
  const seen = new Set<string>();
  for (const fn of functions) {
    if (!/^[a-z0-9](?:[a-z0-9-]{0,14}[a-z0-9])?$/.test(fn.name)) {
      throw new Error(
        `function name ${JSON.stringify(fn.name)}: use 1 to 16 of [a-z0-9-], not starting or ending with '-'`,
      );
    }
    if (seen.has(fn.name))
      throw new Error(`function name ${JSON.stringify(fn.name)} appears twice in the function table`);
    seen.add(fn.name);
    const where = `function ${JSON.stringify(fn.name)}`;
    if (fn.interval) {
      const { ms, env } = fn.interval;
      if (!Number.isInteger(ms) || ms < 0 || ms > 60_000)
        throw new Error(`${where}: interval.ms ${ms} is not a whole number of ms from 0 to 60000`);
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(env))
        throw new Error(`${where}: interval.env ${JSON.stringify(env)} is not an environment variable name`);
    }
    const lines = fn.check?.expect?.lines;
    if (lines?.arrive === "paced" && lines.text.length < MIN_PACED_LINES)
      throw new Error(
        `${where}: check.expect.lines has ${lines.text.length} line(s); paced lines need ${MIN_PACED_LINES} or more to be timed`,
      );
    if (lines?.arrive === "paced" && !fn.interval)
      throw new Error(
        `${where}: check.expect.lines arrive "paced" but the row states no interval: add interval: { ms, env }`,
      );
    const rest = restApiOf(fn);
    // Refused rather than deployed BUFFERED: a streamified handler answers metadata, delimiter and
    // body, which a buffered proxy integration (Invoke) would hand back as a malformed response.
    if (rest && fn.invokeMode !== "RESPONSE_STREAM")
      throw new Error(
        `${where}: restApi streams (responseTransferMode STREAM) and the row is ${fn.invokeMode}: make the row RESPONSE_STREAM, or remove restApi`,
      );
    if (rest && !/^[A-Za-z0-9_-]{1,128}$/.test(rest.stageName))
      throw new Error(
        `${where}: restApi.stageName ${JSON.stringify(rest.stageName)}: use 1 to 128 of [A-Za-z0-9_-]`,
      );
    if (rest && !(REST_ENDPOINT_TYPES as readonly string[]).includes(rest.endpointType))
      throw new Error(
        `${where}: restApi.endpointType ${JSON.stringify(rest.endpointType)}: one of ${REST_ENDPOINT_TYPES.join(", ")}`,
      );
    const taken = Object.keys(fn.functionArgs ?? {}).filter((key) =>
      (KIT_FUNCTION_ARGS as readonly string[]).includes(key),
    );
    if (taken.length > 0)
      throw new Error(
        `${where}: functionArgs.${taken[0]} is set by the kit; use the row's own field (memoryMb, timeoutS, environment…) instead`,
      );
  }
}

/** A row with its interval replaced (tests run rows faster); rows without one are returned as they are. */
export function withInterval(spec: FunctionSpec, ms: number | undefined): FunctionSpec {
  if (ms === undefined || !spec.interval) return spec;
  return { ...spec, interval: { ...spec.interval, ms } };
}

/**
 * A row's environment as deployed: its own variables, its interval's, and for a REST API door
 * with `cors` the CORS the function must apply itself (nothing in front of it adds headers).
 */
export function rowEnvironment(spec: FunctionSpec): Record<string, string> {
  return {
    ...spec.environment,
    ...(spec.interval ? { [spec.interval.env]: String(spec.interval.ms) } : {}),
    ...(spec.restApi && spec.cors ? { [CORS_ENV]: JSON.stringify(spec.cors) } : {}),
  };
}
