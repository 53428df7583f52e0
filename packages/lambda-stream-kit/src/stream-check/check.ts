import type { InvokeMode } from "../contract.js";
import type { CheckRequest, Expectations, FunctionSpec } from "../functions.js";
import { type ObservedDelivery, observeDelivery } from "./delivery.js";
import { type Assertion, type CheckSettings, evaluate, resolveExpectations } from "./evaluate.js";
import { type InvokeTarget, invokeOnce, invokeUrl } from "./invoke.js";
import { type Arrival, type Attempt, fetchOnce } from "./measure.js";

export interface CheckTarget {
  /** Shown in reports: the function's row name. */
  label: string;
  url: string;
  expect: Expectations;
  /** The URL's invoke mode when known (a row's); the SDK door always streams. */
  invokeMode?: InvokeMode;
  /** The pause between lines the function leaves (the row's interval), when it has one. */
  intervalMs?: number;
  /** The row's REST API door rather than its Function URL. */
  restApi?: boolean;
  /** What to send (default GET /). */
  request?: CheckRequest;
  /** Read through the AWS SDK's InvokeWithResponseStream instead of the URL (which is then the API's). */
  invoke?: InvokeTarget;
  /** Sign the request with SigV4 (an AWS_IAM URL); default: whenever a region to sign for is set. */
  sign?: boolean;
  /** Another reader of the URL (e.g. a browser), answering in curl's terms. */
  measure?: (options: {
    maxTimeS: number;
    onArrival: (arrival: Arrival, index: number) => void;
  }) => Promise<Attempt>;
}

/**
 * The check target for a row invoked through the AWS SDK. The invoke mode belongs to a
 * Function URL, not to the function, so on this path every function streams: its lines
 * are expected paced whichever URL the row has.
 */
export function invokeTargetFor(
  spec: FunctionSpec,
  invoke: InvokeTarget,
  env: NodeJS.ProcessEnv = process.env,
): CheckTarget {
  const expect = resolveExpectations(spec.check?.expect, true);
  return {
    label: `${spec.name}·sdk`,
    url: invokeUrl(invoke, env),
    expect: expect.lines ? { ...expect, lines: { ...expect.lines, arrive: "paced" } } : expect,
    invokeMode: "RESPONSE_STREAM",
    ...(spec.interval ? { intervalMs: spec.interval.ms } : {}),
    invoke,
  };
}

/** The check target for a row's REST API door (the stack's restApiUrls output). */
export function restApiTargetFor(spec: FunctionSpec, url: string): CheckTarget {
  return { ...targetFor(spec, url), label: `${spec.name}·rest`, restApi: true };
}

/** A served row's curl doors: its Function URL, and its REST API door when it has one. */
export function doorTargetsFor(
  spec: FunctionSpec,
  urls: { url: string; restApiUrl?: string | undefined },
): CheckTarget[] {
  return [targetFor(spec, urls.url), ...(urls.restApiUrl ? [restApiTargetFor(spec, urls.restApiUrl)] : [])];
}

/** The check target for a row of the function table at a URL. */
export function targetFor(spec: FunctionSpec, url: string): CheckTarget {
  return {
    label: spec.name,
    url,
    expect: resolveExpectations(spec.check?.expect, spec.invokeMode === "RESPONSE_STREAM"),
    invokeMode: spec.invokeMode,
    ...(spec.interval ? { intervalMs: spec.interval.ms } : {}),
    ...(spec.check?.request ? { request: spec.check.request } : {}),
  };
}

export interface CheckOptions {
  /** The pause between lines for targets that state none (a row's interval wins). */
  intervalMs: number;
  toleranceMs: number;
  maxTtfbMs: number;
  bufferedWindowMs?: number;
  /** Retry budget before the first byte (new URLs and permissions take seconds to work). */
  waitS: number;
  /** curl --max-time for one attempt; default (n x interval) + 30 s. */
  timeoutS?: number;
  sigv4Region?: string;
  onArrival?: (target: CheckTarget, arrival: Arrival, index: number) => void;
  onRetry?: (target: CheckTarget, attempt: number, why: string, waitMs: number) => void;
}

export interface AttemptNote {
  startedAtMs: number;
  httpCode: number;
  curlExit: number;
  why: string;
}

export interface CheckResult {
  target: CheckTarget;
  settings: CheckSettings;
  attempts: AttemptNote[];
  final: Attempt;
  assertions: Assertion[];
  passed: boolean;
  /** How the bytes came: the delivery shape the reads show (the first real deploy names AWS's). */
  delivery: ObservedDelivery;
  /** No HTTP response at all within the wait: exit code 2 rather than 1. */
  neverAnswered: boolean;
}

/** curl exit codes that mean "no response yet": DNS, refused, TLS, empty reply, reset. */
const RETRYABLE_CURL_EXITS = new Set([6, 7, 35, 52, 56]);

/** A URL on this machine: nothing to propagate, so a refused connection means nothing listens. */
export function isLoopback(url: string): boolean {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, "");
  return host === "localhost" || host === "::1" || /^127\./.test(host);
}

/** How long a refused loopback URL is retried before the check says nothing listens there. */
export const LOOPBACK_REFUSED_WAIT_MS = 3000;

/** Why this attempt may be retried, or undefined if it may not (e.g. the body had started). */
export function retryReason(attempt: Attempt): string | undefined {
  const { httpCode, exitCode, error } = attempt.curl;
  if (httpCode === 403) return "HTTP 403 (a new URL's permissions take a while to propagate)";
  if (httpCode === 429) return "HTTP 429 (throttled)";
  if (httpCode >= 500 && httpCode <= 599) return `HTTP ${httpCode}`;
  if (httpCode === 0 && attempt.bytesReceived === 0 && RETRYABLE_CURL_EXITS.has(exitCode)) {
    return error || `curl exit ${exitCode}`;
  }
  return undefined;
}

export function settingsFor(target: CheckTarget, options: CheckOptions): CheckSettings {
  const sentences = target.expect.lines?.text ?? [];
  const intervalMs = target.intervalMs ?? options.intervalMs;
  return {
    expect: target.expect,
    sentences,
    intervalMs,
    toleranceMs: options.toleranceMs,
    maxTtfbMs: options.maxTtfbMs,
    bufferedWindowMs: options.bufferedWindowMs ?? 100,
    bufferedMinTtfbShare: 0.8,
    maxTimeS: options.timeoutS ?? Math.ceil((sentences.length * intervalMs) / 1000) + 30,
    invokeMode: target.invokeMode,
    restApi: target.restApi,
  };
}

/**
 * Requests the URL until it answers (within the wait budget, with exponential backoff,
 * only while no body has started), then judges the answer against the expectation.
 */
export async function checkUrl(target: CheckTarget, options: CheckOptions): Promise<CheckResult> {
  const settings = settingsFor(target, options);
  const attempts: AttemptNote[] = [];
  const begin = performance.now();
  // A real Function URL may take a minute to answer (DNS, permissions propagating); a
  // refused connection on this machine will not start answering by itself.
  const deadline = begin + options.waitS * 1000;
  const loopback = isLoopback(target.url);
  let backoffMs = 250;
  for (;;) {
    const startedAtMs = performance.now() - begin;
    const onArrival = (arrival: Arrival, index: number) => options.onArrival?.(target, arrival, index);
    const attempt = target.measure
      ? await target.measure({ maxTimeS: settings.maxTimeS, onArrival })
      : target.invoke
        ? await invokeOnce(target.invoke, { maxTimeS: settings.maxTimeS, onArrival })
        : await fetchOnce(target.url, {
            maxTimeS: settings.maxTimeS,
            ...(target.request ? { request: target.request } : {}),
            ...(options.sigv4Region && target.sign !== false ? { sigv4Region: options.sigv4Region } : {}),
            onArrival,
          });
    const why = retryReason(attempt);
    attempts.push({
      startedAtMs,
      httpCode: attempt.curl.httpCode,
      curlExit: attempt.curl.exitCode,
      why: why ?? "final",
    });
    const refusedLocally =
      loopback &&
      attempt.curl.exitCode === 7 &&
      performance.now() - begin + backoffMs > LOOPBACK_REFUSED_WAIT_MS;
    if (why && !refusedLocally && performance.now() + backoffMs < deadline) {
      options.onRetry?.(target, attempts.length, why, backoffMs);
      await new Promise((resolve) => setTimeout(resolve, backoffMs));
      backoffMs = Math.min(backoffMs * 2, 5000);
      continue;
    }
    const assertions = evaluate(attempt, settings);
    if (loopback && attempt.curl.exitCode === 7 && assertions[0] && !assertions[0].passed) {
      assertions[0].reason = `nothing listens at ${target.url} (connection refused): the local emulator is not running; start it with npm start`;
    }
    if (why && attempts.length > 1) {
      const first = assertions.find((a) => !a.passed);
      if (first?.reason) {
        first.reason += ` (still failing after ${attempts.length} attempts in ${Math.round((performance.now() - begin) / 1000)} s)`;
      }
    }
    return judged(target, settings, attempt, assertions, attempts);
  }
}

/** A check's result from its final attempt and what was asserted of it. */
export function judged(
  target: CheckTarget,
  settings: CheckSettings,
  attempt: Attempt,
  assertions: Assertion[] = evaluate(attempt, settings),
  attempts: AttemptNote[] = [],
): CheckResult {
  return {
    target,
    settings,
    attempts,
    final: attempt,
    assertions,
    passed: assertions.every((a) => a.passed),
    delivery: observeDelivery(attempt, {
      intervalMs: target.expect.lines ? settings.intervalMs : undefined,
      windowMs: settings.bufferedWindowMs,
      invokeMode: target.invokeMode,
    }),
    neverAnswered: attempt.curl.httpCode === 0 && attempt.bytesReceived === 0,
  };
}

/** 0 passed, 1 an assertion failed, 2 a URL never answered. */
export function exitCodeFor(results: readonly CheckResult[]): number {
  if (results.some((r) => r.neverAnswered)) return 2;
  return results.every((r) => r.passed) ? 0 : 1;
}
