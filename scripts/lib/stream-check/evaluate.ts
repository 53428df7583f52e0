import type { Arrival, Attempt } from "./measure.js";

export type Expectation = "streaming" | "buffered";

export interface CheckSettings {
  expect: Expectation;
  sentences: readonly string[];
  intervalMs: number;
  toleranceMs: number;
  maxTtfbMs: number;
  /** Buffered: every sentence must arrive within this window of the first. */
  bufferedWindowMs: number;
  /** Buffered: the first byte may come no sooner than this share of (n-1) x interval. */
  bufferedMinTtfbShare: number;
  /** The curl --max-time in force, to explain a time-out. */
  maxTimeS: number;
}

export interface Assertion {
  id: string;
  title: string;
  expected: string;
  actual: string;
  passed: boolean;
  /** On failure: one line naming the cause and the likely fix. */
  reason?: string;
}

const ms = (value: number) => `${Math.round(value)} ms`;
const secs = (value: number) => `${(value / 1000).toFixed(1)} s`;
const quote = (text: string, max = 60) => JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);

function assertion(
  id: string,
  title: string,
  expected: string,
  actual: string,
  passed: boolean,
  reason: string,
): Assertion {
  return passed ? { id, title, expected, actual, passed } : { id, title, expected, actual, passed, reason };
}

/** Every assertion the expectation implies, in the order a person should read them. */
export function evaluate(attempt: Attempt, settings: CheckSettings): Assertion[] {
  const { curl } = attempt;
  const results: Assertion[] = [];
  const answered = curl.httpCode > 0;
  results.push(
    assertion(
      "answered",
      "URL answered",
      "an HTTP response",
      answered ? `HTTP ${curl.httpCode}` : curl.error || `curl exit ${curl.exitCode}`,
      answered,
      `no HTTP response from the URL (${curl.error || `curl exit ${curl.exitCode}`}): check the URL, and that the function is deployed or the emulator is running`,
    ),
  );
  if (!answered) return results;

  if (curl.httpCode >= 300 && curl.httpCode < 400) {
    results.push(
      assertion(
        "redirect",
        "no redirect",
        "HTTP 200 from the URL itself",
        `HTTP ${curl.httpCode} to ${curl.redirectUrl || "?"}`,
        false,
        `the URL redirects (HTTP ${curl.httpCode}) to ${curl.redirectUrl || "another location"}: point --url at the Function URL itself`,
      ),
    );
    return results;
  }

  const body = Buffer.concat(
    attempt.arrivals.flatMap((a) => [a.bytes, Buffer.from("\n")]).concat(attempt.tail),
  );
  const html =
    /^text\/html/i.test(curl.contentType) || /^\s*<(!doctype|html|head|body)/i.test(body.toString("latin1"));
  if (html) {
    const title = /<title>([^<]*)<\/title>/i.exec(body.toString("utf8"))?.[1]?.trim();
    results.push(
      assertion(
        "html",
        "not an HTML page",
        "the speech as text/plain",
        `HTML${title ? ` "${title}"` : ""} (HTTP ${curl.httpCode})`,
        false,
        `got an HTML page${title ? ` ("${title}")` : ""} instead of the speech: the URL is not the function's, or a proxy or error page stands in front of it`,
      ),
    );
  }

  results.push(
    assertion(
      "status",
      "HTTP status",
      "200",
      String(curl.httpCode),
      curl.httpCode === 200,
      `HTTP ${curl.httpCode}${describeStatus(curl.httpCode)}: ${body.toString("utf8").trim().slice(0, 120) || "(empty body)"}`,
    ),
  );
  const plain = /^text\/plain\b/i.test(curl.contentType);
  results.push(
    assertion(
      "content-type",
      "content type",
      "text/plain",
      curl.contentType || "(none)",
      plain,
      `content-type is ${curl.contentType || "missing"} (expected text/plain): the handler must call setContentType before its first write`,
    ),
  );

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
  results.push(
    assertion(
      "utf8",
      "valid UTF-8",
      "every line valid UTF-8",
      badLine === -1 ? "valid" : `line ${badLine + 1} invalid`,
      badLine === -1,
      `line ${badLine + 1} is not valid UTF-8: something re-encodes or corrupts the body`,
    ),
  );

  const textProblems = diffSentences(settings.sentences, lines);
  results.push(
    assertion(
      "text",
      "text",
      `${settings.sentences.length} sentences, exact, in order`,
      textProblems.length === 0 ? `${lines.length} sentences, exact` : `${lines.length} lines`,
      textProblems.length === 0,
      textProblems.slice(0, 3).join("; "),
    ),
  );

  results.push(completeness(attempt, settings, lines.length));

  const arrivals = attempt.arrivals;
  if (arrivals.length >= 2) {
    if (settings.expect === "streaming") results.push(...streamingTiming(attempt, settings));
    else results.push(...bufferedTiming(attempt, settings));
  } else if (curl.httpCode === 200) {
    results.push(
      assertion(
        "timing",
        "timing",
        "at least 2 sentences to time",
        `${arrivals.length} line(s)`,
        false,
        "fewer than 2 lines arrived, so the cadence cannot be measured",
      ),
    );
  }
  return results;
}

function describeStatus(code: number): string {
  if (code === 403)
    return " Forbidden (AuthType NONE needs both lambda:InvokeFunctionUrl and lambda:InvokeFunction in the resource policy; AWS_IAM needs --sigv4)";
  if (code === 429) return " Too Many Requests (throttled: raise the function's concurrency)";
  if (code === 502) return " Bad Gateway (the function failed: see its logs)";
  if (code >= 500) return " (server error)";
  return "";
}

/** Each way the received lines differ from the speech, as short sentences. */
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

function completeness(attempt: Attempt, settings: CheckSettings, received: number): Assertion {
  const { curl } = attempt;
  const n = settings.sentences.length;
  const clean = curl.exitCode === 0 && attempt.tail.length === 0;
  let reason = "";
  if (curl.exitCode === 28) {
    reason = `timed out after ${settings.maxTimeS} s waiting for sentence ${Math.min(received + 1, n)} of ${n}: the stream stalled (raise --timeout-s if the function is just slow)`;
  } else if (curl.exitCode !== 0) {
    reason = `the stream was cut short after ${received} of ${n} sentences (curl exit ${curl.exitCode}: ${curl.error || "transfer failed"}): the function failed or the connection dropped mid-stream`;
  } else if (attempt.tail.length > 0) {
    reason = `the body ended without a final newline after ${received} lines: ${quote(attempt.tail.toString("utf8"))}`;
  }
  return assertion(
    "complete",
    "stream ended cleanly",
    "a complete body",
    clean ? "complete" : `curl exit ${curl.exitCode}`,
    clean,
    reason,
  );
}

function gapsOf(arrivals: readonly Arrival[]): number[] {
  return arrivals.slice(1).map((arrival, i) => arrival.atMs - (arrivals[i]?.atMs ?? 0));
}

/** Time to the first body byte, and from the first complete line to the last. */
function firstByteAndSpan(attempt: Attempt): { ttfb: number; span: number } {
  const arrivals = attempt.arrivals;
  return {
    ttfb: attempt.firstByteMs ?? arrivals[0]?.atMs ?? 0,
    span: (arrivals.at(-1)?.atMs ?? 0) - (arrivals[0]?.atMs ?? 0),
  };
}

function streamingTiming(attempt: Attempt, s: CheckSettings): Assertion[] {
  const arrivals = attempt.arrivals;
  const n = arrivals.length;
  const { ttfb, span } = firstByteAndSpan(attempt);
  const gaps = gapsOf(arrivals);
  const results: Assertion[] = [];

  results.push(
    assertion(
      "ttfb",
      "time to first byte",
      `≤ ${ms(s.maxTtfbMs)}`,
      ms(ttfb),
      ttfb <= s.maxTtfbMs,
      `the first byte took ${ms(ttfb)} (limit ${ms(s.maxTtfbMs)}): a cold start, or the first sentence waits for an interval`,
    ),
  );

  // Everything inside one short window after a long wait is the signature of buffering.
  const allTogether = span <= s.bufferedWindowMs && span < ((n - 1) * s.intervalMs) / 2;
  const together = gaps.flatMap((gap, i) =>
    arrivals[i]?.read === arrivals[i + 1]?.read || gap < Math.min(50, s.intervalMs / 4) ? [i] : [],
  );
  results.push(
    assertion(
      "chunks",
      "one sentence per chunk",
      "each sentence in its own chunk",
      together.length === 0 ? "yes" : `${together.length} pair(s) together`,
      together.length === 0,
      allTogether
        ? `all ${n} sentences arrived within ${ms(span)} after ${secs(ttfb)}: this URL is BUFFERED, not RESPONSE_STREAM (set the Function URL's invoke mode to RESPONSE_STREAM)`
        : `sentences ${(together[0] ?? 0) + 1} and ${(together[0] ?? 0) + 2} arrived in one chunk (${ms(gaps[together[0] ?? 0] ?? 0)} apart): something between the function and you buffers the stream`,
    ),
  );

  const low = s.intervalMs - s.toleranceMs;
  const high = s.intervalMs + s.toleranceMs;
  const bad = gaps.flatMap((gap, i) => (gap < low || gap > high ? [i] : []));
  const first = bad[0] ?? 0;
  const firstGap = gaps[first] ?? 0;
  results.push(
    assertion(
      "gaps",
      "gap between sentences",
      `${ms(s.intervalMs)} ± ${ms(s.toleranceMs)}`,
      gaps.length ? `${ms(Math.min(...gaps))} … ${ms(Math.max(...gaps))}` : "-",
      bad.length === 0,
      `${bad.length} of ${gaps.length} gaps out of range; sentence ${first + 2} came ${ms(firstGap)} after sentence ${first + 1} (expected ${ms(s.intervalMs)} ± ${ms(s.toleranceMs)}): ${
        firstGap < low
          ? "too fast (is SENTENCE_INTERVAL_MS what you expect?)"
          : "too slow (an overloaded function or network)"
      }`,
    ),
  );

  const expectedSpan = (s.sentences.length - 1) * s.intervalMs;
  results.push(
    assertion(
      "total",
      "first to last sentence",
      `${ms(expectedSpan)} ± ${ms(s.toleranceMs)}`,
      ms(span),
      Math.abs(span - expectedSpan) <= s.toleranceMs,
      `the sentences spanned ${ms(span)} (expected ${ms(expectedSpan)} ± ${ms(s.toleranceMs)})`,
    ),
  );
  return results;
}

function bufferedTiming(attempt: Attempt, s: CheckSettings): Assertion[] {
  const { ttfb, span } = firstByteAndSpan(attempt);
  const minTtfb = s.bufferedMinTtfbShare * (s.sentences.length - 1) * s.intervalMs;
  return [
    assertion(
      "ttfb",
      "time to first byte",
      `≥ ${ms(minTtfb)}`,
      ms(ttfb),
      ttfb >= minTtfb,
      `the first byte came after ${ms(ttfb)}, before the function could have finished (≥ ${ms(minTtfb)}): this URL STREAMS, it is not BUFFERED`,
    ),
    assertion(
      "window",
      "all sentences together",
      `within ${ms(s.bufferedWindowMs)}`,
      ms(span),
      span <= s.bufferedWindowMs,
      `the sentences arrived over ${ms(span)} (expected all within ${ms(s.bufferedWindowMs)}): this URL STREAMS, it is not BUFFERED (set its invoke mode to BUFFERED)`,
    ),
  ];
}
