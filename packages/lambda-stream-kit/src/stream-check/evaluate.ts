import type { InvokeMode } from "../contract.js";
import type { Expectations } from "../functions.js";
import { observeDelivery } from "./delivery.js";
import type { Arrival, Attempt } from "./measure.js";

export type { Expectations };

/** Everything a check needs to judge one answer. */
export interface CheckSettings {
  expect: Expectations;
  /** The lines expected (`expect.lines`; empty without). */
  sentences: readonly string[];
  /** The pause between them: the row's interval, or the check's override. */
  intervalMs: number;
  toleranceMs: number;
  maxTtfbMs: number;
  /** Buffered: every sentence must arrive within this window of the first. */
  bufferedWindowMs: number;
  /** Buffered: the first byte may come no sooner than this share of (n-1) x interval. */
  bufferedMinTtfbShare: number;
  /** The curl --max-time in force, to explain a time-out. */
  maxTimeS: number;
  /** The Function URL's invoke mode, when the target is a row's (the SDK door always streams). */
  invokeMode?: InvokeMode | undefined;
  /** A REST API door (API Gateway's own answers differ from a Function URL's). */
  restApi?: boolean | undefined;
}

export interface Assertion {
  id: string;
  title: string;
  expected: string;
  actual: string;
  passed: boolean;
  /** On failure: one line naming the cause and the likely fix. */
  reason?: string;
  /** On a pass that needed a reported delivery shape: one line naming it. */
  note?: string;
}

/** What every check reads: the attempt, and the body and lines decoded once. */
export interface Answer {
  attempt: Attempt;
  body: Buffer;
  lines: string[];
  /** Index of the first line that is not valid UTF-8, or -1. */
  badLine: number;
  settings: CheckSettings;
}

/** A named check: one or more assertions, or none when it does not apply. */
type Check = (answer: Answer) => Assertion | Assertion[] | undefined;

const ms = (value: number) => `${Math.round(value)} ms`;
const secs = (value: number) => `${(value / 1000).toFixed(1)} s`;
const quote = (text: string, max = 60) => JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);

/** An assertion from an object literal; the reason is kept only when it failed. */
function assertion(a: Assertion & { reason: string }): Assertion {
  const { reason, ...rest } = a;
  return a.passed ? rest : { ...rest, reason };
}

/** The expectations a row states, or "2xx, and progressive if streamed" when it states none. */
export function resolveExpectations(expect: Expectations | undefined, streamed: boolean): Expectations {
  if (expect && Object.keys(expect).length > 0) return expect;
  return streamed ? { progressiveMs: DEFAULT_PROGRESSIVE_MS } : {};
}
/** A streamed function that says nothing must show at least this much between first and last byte. */
export const DEFAULT_PROGRESSIVE_MS = 50;

export function describeExpectations(expect: Expectations): string {
  if (expect.lines) return `${expect.lines.text.length} lines, ${expect.lines.arrive}`;
  const parts = [
    expect.status ? `HTTP ${expect.status}` : "2xx",
    expect.contentType,
    expect.body
      ? "text" in expect.body
        ? "exact body"
        : "regex" in expect.body
          ? "body matches"
          : "JSON lines"
      : undefined,
    expect.minChunks ? `≥ ${expect.minChunks} chunks` : undefined,
    expect.maxTtfbMs !== undefined ? `first byte ≤ ${expect.maxTtfbMs} ms` : undefined,
    expect.progressiveMs !== undefined ? `progressive ≥ ${expect.progressiveMs} ms` : undefined,
  ];
  return parts.filter(Boolean).join(", ");
}

export function decodeAnswer(attempt: Attempt, settings: CheckSettings): Answer {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const lines: string[] = [];
  let badLine = -1;
  for (const [index, arrival] of attempt.arrivals.entries()) {
    try {
      lines.push(decoder.decode(arrival.bytes));
    } catch {
      if (badLine === -1) badLine = index;
      lines.push(arrival.bytes.toString("utf8"));
    }
  }
  const body = Buffer.concat(
    attempt.arrivals.flatMap((a) => [a.bytes, Buffer.from("\n")]).concat(attempt.tail),
  );
  return { attempt, body, lines, badLine, settings };
}

/**
 * Runs the applicable checks in the order a person should read them. The answer is
 * classified first: when it is not the function's (no answer, a redirect, an HTML page, a
 * status it should not have), that one cause is reported and nothing is judged on top.
 */
export function evaluate(attempt: Attempt, settings: CheckSettings): Assertion[] {
  const answer = decodeAnswer(attempt, settings);
  const results: Assertion[] = [];
  for (const check of [answered, noRedirect, notHtml, status]) {
    const result = [check(answer) ?? []].flat();
    results.push(...result);
    if (result.some((a) => !a.passed)) return results;
  }
  // Each chain stops at its first failure: what follows from it is not a second cause.
  const chains = settings.expect.lines ? LINES_CHECKS : GENERIC_CHECKS;
  for (const chain of chains) {
    for (const check of chain) {
      const result = [check(answer) ?? []].flat();
      results.push(...result);
      if (result.some((a) => !a.passed)) break;
    }
  }
  return results;
}

const answered: Check = ({ attempt: { curl } }) => {
  const passed = curl.httpCode > 0;
  return assertion({
    id: "answered",
    title: "URL answered",
    expected: "an HTTP response",
    actual: passed ? `HTTP ${curl.httpCode}` : curl.error || `curl exit ${curl.exitCode}`,
    passed,
    reason: `no HTTP response from the URL (${curl.error || `curl exit ${curl.exitCode}`}): check the URL, and that the function is deployed or the emulator is running`,
  });
};

const noRedirect: Check = ({ attempt: { curl } }) => {
  if (curl.httpCode < 300 || curl.httpCode >= 400) return undefined;
  return assertion({
    id: "redirect",
    title: "no redirect",
    expected: "an answer from the URL itself",
    actual: `HTTP ${curl.httpCode} to ${curl.redirectUrl || "?"}`,
    passed: false,
    reason: `the URL redirects (HTTP ${curl.httpCode}) to ${curl.redirectUrl || "another location"}: point the check at the Function URL itself`,
  });
};

/** The first line of a body, on one line and cut, for a message. */
export function firstLine(body: Buffer, max = 100): string {
  const line = body
    .toString("utf8")
    .replace(/<[^>]*>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return line ? (line.length > max ? `${line.slice(0, max)}…` : line) : "(empty body)";
}

const notHtml: Check = ({ attempt: { curl }, body }) => {
  const html =
    /^text\/html/i.test(curl.contentType) || /^\s*<(!doctype|html|head|body)/i.test(body.toString("latin1"));
  if (!html) return undefined;
  const title = /<title>([^<]*)<\/title>/i.exec(body.toString("utf8"))?.[1]?.trim();
  return assertion({
    id: "html",
    title: "the function's answer",
    expected: "the function's own body",
    actual: `HTML${title ? ` "${title}"` : ""} (HTTP ${curl.httpCode})`,
    passed: false,
    reason: `HTTP ${curl.httpCode} with an HTML page (${title ? `"${title}"` : firstLine(body)}) instead of the function's answer: the URL is not the function's, or a proxy or error page stands in front of it`,
  });
};

function describeStatus(code: number, restApi = false): string {
  if (restApi && code === 403)
    return " Forbidden: API Gateway's answer (Missing Authentication Token) for a stage or path it does not have, or an AWS_IAM method called unsigned: check the stage in the URL";
  if (restApi && code === 502)
    return " Bad Gateway from the REST API: the function failed, or answered without the metadata and 8-byte delimiter a streamed REST proxy integration requires (call awslambda.HttpResponseStream.from(stream, { statusCode, headers }) before the first write); see its logs";
  if (code === 403)
    return " Forbidden: AuthType NONE needs both lambda:InvokeFunctionUrl and lambda:InvokeFunction in the resource policy; AWS_IAM needs signed requests (--sigv4)";
  if (code === 404) return " Not Found: no function behind this URL (deleted, or a wrong URL)";
  if (code === 429) return " Too Many Requests: throttled, raise the function's concurrency";
  if (code === 502) return " Bad Gateway: the function failed, see its logs";
  if (code >= 500) return " (a server error in front of or inside the function)";
  return "";
}

const status: Check = ({ attempt: { curl }, body, settings }) => {
  const wanted = settings.expect.status;
  const passed =
    wanted === undefined ? curl.httpCode >= 200 && curl.httpCode < 300 : curl.httpCode === wanted;
  return assertion({
    id: "status",
    title: "HTTP status",
    expected: wanted === undefined ? (settings.expect.lines ? "200" : "2xx") : String(wanted),
    actual: String(curl.httpCode),
    passed: passed && (!settings.expect.lines || curl.httpCode === 200),
    reason: `HTTP ${curl.httpCode}${describeStatus(curl.httpCode, settings.restApi)} (body: ${firstLine(body)})`,
  });
};

const contentType: Check = ({ attempt: { curl }, settings }) => {
  const wanted = settings.expect.contentType ?? (settings.expect.lines ? "text/plain" : undefined);
  if (!wanted) return undefined;
  return assertion({
    id: "content-type",
    title: "content type",
    expected: wanted,
    actual: curl.contentType || "(none)",
    passed: curl.contentType.toLowerCase().startsWith(wanted.toLowerCase()),
    reason: `content-type is ${curl.contentType || "missing"} (expected ${wanted}): the handler must set it before its first write`,
  });
};

const utf8: Check = ({ badLine }) =>
  assertion({
    id: "utf8",
    title: "valid UTF-8",
    expected: "every line valid UTF-8",
    actual: badLine === -1 ? "valid" : `line ${badLine + 1} invalid`,
    passed: badLine === -1,
    reason: `line ${badLine + 1} is not valid UTF-8: something re-encodes or corrupts the body`,
  });

const linesText: Check = ({ lines, settings }) => {
  const problems = diffSentences(settings.sentences, lines);
  return assertion({
    id: "text",
    title: "text",
    expected: `${settings.sentences.length} sentences, exact, in order`,
    actual: problems.length === 0 ? `${lines.length} sentences, exact` : `${lines.length} lines`,
    passed: problems.length === 0,
    reason: problems.slice(0, 3).join("; "),
  });
};

/** Each way the received lines differ from the expected lines, as short sentences. */
export function diffSentences(expected: readonly string[], got: readonly string[]): string[] {
  const problems: string[] = [];
  const indexOf = new Map(expected.map((sentence, index) => [sentence, index]));
  const seen = new Map<number, number>();
  let last = -1;
  for (const [line, text] of got.entries()) {
    const index = indexOf.get(text);
    if (index === undefined) {
      const joined = expected.findIndex(
        (s, i) => i + 1 < expected.length && text === `${s}${expected[i + 1]}`,
      );
      problems.push(
        joined !== -1
          ? `line ${line + 1} holds sentences ${joined + 1} and ${joined + 2} without a newline between them`
          : `unexpected line ${line + 1}: ${quote(text)}`,
      );
      continue;
    }
    if (seen.has(index)) {
      problems.push(
        `sentence ${index + 1} arrived twice (lines ${(seen.get(index) ?? 0) + 1} and ${line + 1})`,
      );
      continue;
    }
    if (index < last) problems.push(`sentence ${index + 1} arrived after sentence ${last + 1}: out of order`);
    seen.set(index, line);
    last = Math.max(last, index);
  }
  for (const index of expected.keys()) {
    if (!seen.has(index))
      problems.push(`sentence ${index + 1} is missing (${quote(expected[index] ?? "", 40)})`);
  }
  return problems;
}

/** The body ended: curl finished cleanly (and, with expected lines, with a final newline). */
const complete: Check = ({ attempt, lines, settings }) => {
  const { curl } = attempt;
  const strict = Boolean(settings.expect.lines);
  const n = settings.sentences.length;
  const received = lines.length;
  const clean = curl.exitCode === 0 && (!strict || attempt.tail.length === 0);
  // The SDK and the browser report in curl's terms, but a curl exit code would mislead.
  const relayed = curl.transport !== undefined && curl.transport !== "curl";
  let reason = "";
  if (curl.exitCode === 28) {
    reason = strict
      ? `timed out after ${settings.maxTimeS} s waiting for sentence ${Math.min(received + 1, n)} of ${n}: the stream stalled (raise --timeout-s if the function is just slow)`
      : `timed out after ${settings.maxTimeS} s: the body never ended (raise --timeout-s if the function is just slow)`;
  } else if (curl.exitCode !== 0 && relayed) {
    reason = `the stream was cut short after ${received} line(s) (${curl.error || "the event stream failed"}): the function failed or timed out mid-stream`;
  } else if (curl.exitCode !== 0) {
    reason = `the body was cut short after ${received} line(s) (curl exit ${curl.exitCode}: ${curl.error || "transfer failed"}): the function failed or the connection dropped mid-stream`;
  } else if (strict && attempt.tail.length > 0) {
    reason = `the body ended without a final newline after ${received} lines: ${quote(attempt.tail.toString("utf8"))}`;
  }
  return assertion({
    id: "complete",
    title: "stream ended cleanly",
    expected: "a complete body",
    actual: clean ? "complete" : relayed ? "cut short" : `curl exit ${curl.exitCode}`,
    passed: clean,
    reason,
  });
};

function gapsOf(arrivals: readonly Arrival[]): number[] {
  return arrivals.slice(1).map((arrival, i) => arrival.atMs - (arrivals[i]?.atMs ?? 0));
}

/** Time to the first body byte, and from the first complete line to the last. */
export function firstByteAndSpan(attempt: Attempt): { ttfb: number; span: number } {
  const arrivals = attempt.arrivals;
  return {
    ttfb: attempt.firstByteMs ?? arrivals[0]?.atMs ?? 0,
    span: (arrivals.at(-1)?.atMs ?? 0) - (arrivals[0]?.atMs ?? 0),
  };
}

const enoughToTime: Check = ({ attempt }) => {
  if (attempt.arrivals.length >= 2) return undefined;
  return assertion({
    id: "timing",
    title: "timing",
    expected: "at least 2 sentences to time",
    actual: `${attempt.arrivals.length} line(s)`,
    passed: false,
    reason: "fewer than 2 lines arrived, so the cadence cannot be measured",
  });
};

const linesTiming: Check = (answer) => {
  if (answer.attempt.arrivals.length < 2) return enoughToTime(answer);
  return answer.settings.expect.lines?.arrive === "together"
    ? bufferedTiming(answer)
    : streamingTiming(answer);
};

function streamingTiming({ attempt, settings: s }: Answer): Assertion[] {
  const arrivals = attempt.arrivals;
  const n = arrivals.length;
  const { ttfb, span } = firstByteAndSpan(attempt);
  const gaps = gapsOf(arrivals);
  const low = s.intervalMs - s.toleranceMs;
  const high = s.intervalMs + s.toleranceMs;
  const bad = gaps.flatMap((gap, i) => (gap < low || gap > high ? [i] : []));
  const first = bad[0] ?? 0;
  const firstGap = gaps[first] ?? 0;
  const expectedSpan = (s.sentences.length - 1) * s.intervalMs;
  const sameRead = gaps.flatMap((_, i) => (arrivals[i]?.read === arrivals[i + 1]?.read ? [i] : []));
  // Steady gaps around another value: the function's interval differs from the one expected.
  const sorted = [...gaps].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  // "Most gaps", not all: one stall on a busy network can lift a single gap into range.
  const most = Math.max(2, gaps.length * 0.75);
  // Steady: most gaps sit within the tolerance of their median. Not "max - min", which one
  // stall breaks: a line held back 100 ms shortens one gap and lengthens the next.
  const nearMedian = gaps.filter((gap) => Math.abs(gap - median) <= s.toleranceMs).length;
  const steady = gaps.length >= 2 && median > 5 && nearMedian >= most;
  const otherInterval = steady && bad.length >= most && sameRead.length === 0;
  // Everything inside one short window after a long wait is the signature of buffering,
  // unless the lines came in reads of their own at a steady pace: a short text at a short
  // interval also fits in the window (4 lines 20 ms apart passed as one chunk each).
  const allTogether = !otherInterval && span <= s.bufferedWindowMs && span < ((n - 1) * s.intervalMs) / 2;
  const together = otherInterval
    ? []
    : gaps.flatMap((gap, i) => (sameRead.includes(i) || gap < Math.min(50, s.intervalMs / 4) ? [i] : []));
  const delivery = observeDelivery(attempt, {
    intervalMs: s.intervalMs,
    windowMs: s.bufferedWindowMs,
    invokeMode: s.invokeMode,
  });
  // Each write held until the next (reported of real Function URLs): every line one interval
  // late, so the first byte may take one interval more.
  const heldToNext = delivery.shape === "next-write";
  const ttfbLimit = s.maxTtfbMs + (heldToNext ? s.intervalMs : 0);
  const lastTwoTogether = heldToNext && together.length === 1 && together[0] === gaps.length - 1;

  const ttfbCheck = assertion({
    id: "ttfb",
    title: "time to first byte",
    expected: `≤ ${ms(ttfbLimit)}`,
    actual: ms(ttfb),
    passed: ttfb <= ttfbLimit,
    reason: `the first byte took ${ms(ttfb)} (limit ${ms(ttfbLimit)}): a cold start, or the first sentence waits for an interval`,
  });
  const chunks = assertion({
    id: "chunks",
    title: "one sentence per chunk",
    expected: "each sentence in its own chunk",
    actual: together.length === 0 ? "yes" : `${together.length} pair(s) together`,
    passed: together.length === 0,
    reason: allTogether
      ? heldToEnd(attempt, s, n, span, ttfb)
      : lastTwoTogether
        ? `each write was held until the next one (every sentence about ${ms(s.intervalMs)} late, as reported of real Function URLs), and sentences ${n - 1} and ${n} came together because the stream ended right after the last write: end the stream one interval after the last line (README, "Small writes on real Lambda")`
        : delivery.shape === "size"
          ? `the sentences came up to ${delivery.mostLinesInOneRead} per read, in ${delivery.reads} reads of up to ${delivery.largestReadBytes} bytes at uneven times: writes are held until a size is reached (the Lambda service is reported to hold writes under ~16 KB to 100 KB; a proxy may too): write larger chunks, or see README, "Small writes on real Lambda"`
          : `sentences ${(together[0] ?? 0) + 1} and ${(together[0] ?? 0) + 2} arrived in one chunk (${ms(gaps[together[0] ?? 0] ?? 0)} apart): something between the function and you buffers the stream`,
  });
  // A buffered URL explains the late first byte and every gap: that one cause alone.
  if (allTogether) return [chunks];
  const gapCheck = assertion({
    id: "gaps",
    title: "gap between sentences",
    expected: `${ms(s.intervalMs)} ± ${ms(s.toleranceMs)}`,
    actual: gaps.length ? `${ms(Math.min(...gaps))} … ${ms(Math.max(...gaps))}` : "-",
    passed: bad.length === 0,
    reason: otherInterval
      ? `every gap is about ${ms(median)}, not ${ms(s.intervalMs)}: the function's interval (the row's interval.ms) differs from the ${ms(s.intervalMs)} the check expects; make them equal (--interval-ms ${Math.round(median / 10) * 10})`
      : `${bad.length} of ${gaps.length} gaps out of range; sentence ${first + 2} came ${ms(firstGap)} after sentence ${first + 1} (expected ${ms(s.intervalMs)} ± ${ms(s.toleranceMs)}): ${
          firstGap < low
            ? "too fast (is the row's interval what the function reads?)"
            : "too slow (an overloaded function or network)"
        }`,
  });
  const total = assertion({
    id: "total",
    title: "first to last sentence",
    expected: `${ms(expectedSpan)} ± ${ms(s.toleranceMs)}`,
    actual: ms(span),
    passed: Math.abs(span - expectedSpan) <= s.toleranceMs,
    reason: `the sentences spanned ${ms(span)} (expected ${ms(expectedSpan)} ± ${ms(s.toleranceMs)}): each gap was in range, but they drift`,
  });
  // Sentences sharing a chunk explain odd gaps; an odd gap explains the total: one cause each.
  const results = [
    ttfbCheck,
    chunks,
    ...(chunks.passed ? [gapCheck, ...(gapCheck.passed ? [total] : [])] : []),
  ];
  // The note rides on the first-byte assertion, the one the shape changed: the list of
  // assertions stays the same whatever the delivery.
  if (heldToNext && results.every((a) => a.passed)) {
    ttfbCheck.note = `each sentence was held until the next write (the first came ${ms(ttfb)} after the request, about one interval late), as real Function URLs are reported to deliver small writes; the pacing survives it`;
  }
  return results;
}

/**
 * Why every line came at the end. A chunked answer, or one from a RESPONSE_STREAM row or the
 * SDK, streamed: the writes were held (the size shape) or a proxy buffered; only an answer
 * with a content-length from a URL not known to stream is a BUFFERED URL. Assumed (AWS
 * documents no header): a BUFFERED URL, holding the whole body, sends a content-length, as the
 * emulator does; the report's JSON keeps `curl.chunked`, so the first real deploy shows it.
 */
function heldToEnd(attempt: Attempt, s: CheckSettings, n: number, span: number, ttfb: number): string {
  const { chunked, transport } = attempt.curl;
  const streamed = chunked === true || (chunked === undefined && s.invokeMode === "RESPONSE_STREAM");
  if (!streamed) {
    return `all ${n} sentences arrived within ${ms(span)} after ${secs(ttfb)}: this URL is BUFFERED, not RESPONSE_STREAM (set the Function URL's invoke mode to RESPONSE_STREAM)`;
  }
  const how =
    chunked === true
      ? "although the answer streamed (chunked)"
      : transport === "sdk"
        ? "through InvokeWithResponseStream"
        : "from a RESPONSE_STREAM URL";
  return `all ${n} sentences (${attempt.bytesReceived} bytes) arrived together at the end, after ${secs(ttfb)}, ${how}: the writes were held until the end (the Lambda service is reported to hold writes until ~16 KB to 100 KB are pending, more than this text), or a proxy or compression in between buffers; write larger chunks, or see README, "Small writes on real Lambda"`;
}

function bufferedTiming({ attempt, settings: s }: Answer): Assertion[] {
  const { ttfb, span } = firstByteAndSpan(attempt);
  const minTtfb = s.bufferedMinTtfbShare * (s.sentences.length - 1) * s.intervalMs;
  const checks = [
    assertion({
      id: "ttfb",
      title: "time to first byte",
      expected: `≥ ${ms(minTtfb)}`,
      actual: ms(ttfb),
      passed: ttfb >= minTtfb,
      reason: `the first byte came after ${ms(ttfb)}, before the function could have finished (≥ ${ms(minTtfb)}): this URL STREAMS, it is not BUFFERED`,
    }),
    assertion({
      id: "window",
      title: "all sentences together",
      expected: `within ${ms(s.bufferedWindowMs)}`,
      actual: ms(span),
      passed: span <= s.bufferedWindowMs,
      reason: `the sentences arrived over ${ms(span)} (expected all within ${ms(s.bufferedWindowMs)}): this URL STREAMS, it is not BUFFERED (set its invoke mode to BUFFERED)`,
    }),
  ];
  // An early first byte and a spread both say "it streams": report the first only.
  return checks[0]?.passed ? checks : checks.slice(0, 1);
}

const bodyMatches: Check = ({ body, lines, settings }) => {
  const rule = settings.expect.body;
  if (!rule) return undefined;
  const text = body.toString("utf8");
  if ("text" in rule) {
    return assertion({
      id: "body",
      title: "body",
      expected: `exactly ${quote(rule.text, 40)}`,
      actual: quote(text, 40),
      passed: text === rule.text || text === `${rule.text}\n`,
      reason: `the body is ${quote(text)}, not ${quote(rule.text)}`,
    });
  }
  if ("regex" in rule) {
    const passed = new RegExp(rule.regex, "s").test(text);
    return assertion({
      id: "body",
      title: "body",
      expected: `matches /${rule.regex}/`,
      actual: quote(text, 40),
      passed,
      reason: `the body ${quote(text)} does not match /${rule.regex}/`,
    });
  }
  const bad = lines.findIndex((line) => {
    try {
      JSON.parse(line);
      return false;
    } catch {
      return true;
    }
  });
  return assertion({
    id: "body",
    title: "body",
    expected: "one JSON value per line",
    actual: bad === -1 ? `${lines.length} JSON lines` : `line ${bad + 1} is not JSON`,
    passed: bad === -1 && lines.length > 0,
    reason:
      lines.length === 0
        ? "no complete line arrived"
        : `line ${bad + 1} is not JSON: ${quote(lines[bad] ?? "")}`,
  });
};

const minChunks: Check = ({ attempt, settings }) => {
  const wanted = settings.expect.minChunks;
  if (wanted === undefined) return undefined;
  const chunks = new Set(attempt.arrivals.map((a) => a.read)).size;
  return assertion({
    id: "min-chunks",
    title: "separate chunks",
    expected: `≥ ${wanted}`,
    actual: String(chunks),
    passed: chunks >= wanted,
    reason: `the body arrived in ${chunks} chunk(s), fewer than ${wanted}: the function buffers, or writes everything at once`,
  });
};

const maxTtfb: Check = ({ attempt, settings }) => {
  const limit = settings.expect.maxTtfbMs;
  if (limit === undefined) return undefined;
  const { ttfb } = firstByteAndSpan(attempt);
  return assertion({
    id: "ttfb",
    title: "time to first byte",
    expected: `≤ ${ms(limit)}`,
    actual: ms(ttfb),
    passed: ttfb <= limit,
    reason: `the first byte took ${ms(ttfb)} (limit ${ms(limit)}): a cold start, or the function waits before its first write`,
  });
};

const progressive: Check = ({ attempt, settings }) => {
  const wanted = settings.expect.progressiveMs;
  if (wanted === undefined) return undefined;
  const { ttfb } = firstByteAndSpan(attempt);
  const last = attempt.arrivals.at(-1)?.atMs ?? ttfb;
  const spread = last - ttfb;
  return assertion({
    id: "progressive",
    title: "streams progressively",
    expected: `first byte ≥ ${ms(wanted)} before the last`,
    actual: `${ms(spread)} between first and last`,
    passed: spread >= wanted,
    reason:
      attempt.curl.chunked === true || settings.invokeMode === "RESPONSE_STREAM"
        ? `the whole body arrived within ${ms(spread)} of the first byte (expected ≥ ${ms(wanted)}) although it streamed: the function writes everything at once, or its small writes were held (reported of real Function URLs up to ~16 KB to 100 KB: README, "Small writes on real Lambda"), or a proxy buffers`
        : `the whole body arrived within ${ms(spread)} of the first byte (expected ≥ ${ms(wanted)}): the URL is BUFFERED, or the function writes everything at once`,
  });
};

// A cut-short body explains missing sentences; wrong text explains odd timing.
const LINES_CHECKS: readonly (readonly Check[])[] = [[contentType], [utf8, complete, linesText, linesTiming]];
const GENERIC_CHECKS: readonly (readonly Check[])[] = [
  [contentType],
  [complete, bodyMatches],
  [minChunks],
  [maxTtfb],
  [progressive],
];
