import { afterAll, describe, expect, it } from "vitest";
import { type CheckOptions, checkUrl, exitCodeFor } from "../../../src/stream-check/check.js";
import { SENTENCES } from "../../helpers/project.js";
import {
  type Behaviour,
  honest,
  paced,
  sleep,
  startServer,
  type TestServer,
} from "../../helpers/speech-servers.js";

// A short interval keeps the suite fast; the tolerance scales with it, and every hostile
// timing is a multiple of it. 300 ms: these files share the machine with others (two whole
// suites side by side stalled a 0.4-interval writer of 200 ms long enough to merge two lines),
// and a stall of a hundred ms must not merge two lines. Time to first byte is not what
// these servers test, and a busy machine starts curl slowly.
const INTERVAL = 300;
const options: CheckOptions = {
  intervalMs: INTERVAL,
  toleranceMs: INTERVAL * 0.45,
  maxTtfbMs: 10_000,
  waitS: 3,
  timeoutS: 8,
};

const servers: TestServer[] = [];
const MIDDLE = Math.floor(SENTENCES.length / 2);
// The last sentence (1-based): cases that spoil one sentence spoil this one, which every
// text of three sentences or more has, after at least two good ones.
const LAST = SENTENCES.length;
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function check(
  behaviour: Behaviour,
  overrides: Partial<CheckOptions> = {},
  arrive: "paced" | "together" = "paced",
) {
  const server = await startServer(behaviour);
  servers.push(server);
  const result = await checkUrl(
    { label: "test", url: server.url, expect: { lines: { text: SENTENCES, arrive } } },
    { ...options, ...overrides },
  );
  const reasons = result.assertions.filter((a) => !a.passed).map((a) => a.reason ?? "");
  return { result, reasons: reasons.join("\n"), code: exitCodeFor([result]) };
}

const swap = (list: readonly string[], a: number, b: number) => {
  const copy = [...list];
  [copy[a], copy[b]] = [copy[b] as string, copy[a] as string];
  return copy;
};

describe("stream check against an honest server", () => {
  it("passes 10 runs out of 10", async () => {
    const runs = await Promise.all(Array.from({ length: 10 }, () => check(honest(INTERVAL))));
    for (const run of runs) {
      expect(run.reasons).toBe("");
      expect(run.code).toBe(0);
    }
  });

  it("fails an honest stream when told to expect a buffered URL", async () => {
    const { reasons, code } = await check(honest(INTERVAL), {}, "together");
    expect(code).toBe(1);
    expect(reasons).toMatch(/this URL STREAMS, it is not BUFFERED/);
  });
});

describe.concurrent("stream check against hostile servers", () => {
  // Each case fails by a wide margin (a wrong count, order or cadence), so they may run side by side.
  it.concurrent.each<[string, Behaviour, RegExp]>([
    [
      "steady gaps of 0.4 intervals (another interval)",
      paced(SENTENCES, INTERVAL * 0.4),
      new RegExp(
        `every gap is about \\d+ ms, not ${INTERVAL} ms: the function's interval .* differs from the ${INTERVAL} ms the check expects`,
      ),
    ],
    [
      "steady gaps of twice the interval",
      paced(SENTENCES, INTERVAL * 2),
      new RegExp(`every gap is about \\d+ ms, not ${INTERVAL} ms: the function's interval .* differs`),
    ],
    [
      "one gap far too slow",
      paced(SENTENCES, (i) => (i === LAST - 1 ? INTERVAL * 4 : INTERVAL)),
      new RegExp(`sentence ${LAST} came \\d+ ms after sentence ${LAST - 1} .*too slow`),
    ],
    [
      "everything at the end, chunked: held (a size threshold or a proxy), not a BUFFERED URL",
      paced(SENTENCES, (i) => (i === 0 ? INTERVAL * (SENTENCES.length - 1) : 0)),
      new RegExp(
        `all ${SENTENCES.length} sentences \\(\\d+ bytes\\) arrived together at the end, after \\d+\\.\\d s, although the answer streamed \\(chunked\\): the writes were held until the end`,
      ),
    ],
    [
      "everything at the end with a content-length",
      async (_req, res) => {
        await sleep(INTERVAL * (SENTENCES.length - 1));
        const body = SENTENCES.map((sentence) => `${sentence}\n`).join("");
        res.writeHead(200, { "content-type": "text/plain", "content-length": Buffer.byteLength(body) });
        res.end(body);
      },
      new RegExp(
        `all ${SENTENCES.length} sentences arrived within \\d+ ms after \\d+\\.\\d s: this URL is BUFFERED, not RESPONSE_STREAM`,
      ),
    ],
    [
      "two sentences per chunk",
      async (_req, res) => {
        res.writeHead(200, { "content-type": "text/plain" });
        for (let i = 0; i < SENTENCES.length; i += 2) {
          if (i > 0) await sleep(2 * INTERVAL);
          res.write(
            SENTENCES.slice(i, i + 2)
              .map((sentence) => `${sentence}\n`)
              .join(""),
          );
        }
        res.end();
      },
      /sentences 1 and 2 arrived in one chunk/,
    ],
    [
      "a missing sentence",
      paced(
        SENTENCES.filter((_, i) => i !== MIDDLE),
        INTERVAL,
      ),
      new RegExp(`sentence ${MIDDLE + 1} is missing`),
    ],
    [
      "a reordered sentence",
      paced(swap(SENTENCES, LAST - 2, LAST - 1), INTERVAL),
      new RegExp(`sentence ${LAST - 1} arrived after sentence ${LAST}: out of order`),
    ],
    [
      "a duplicated sentence",
      paced([...SENTENCES.slice(0, 3), SENTENCES[2] as string, ...SENTENCES.slice(3)], INTERVAL),
      /sentence 3 arrived twice/,
    ],
    [
      "an extra sentence",
      paced([...SENTENCES, "And one more thing."], INTERVAL),
      new RegExp(`unexpected line ${SENTENCES.length + 1}: "And one more thing\\."`),
    ],
    [
      "a wrong content type",
      paced(SENTENCES, INTERVAL, "application/json"),
      /content-type is application\/json \(expected text\/plain\)/,
    ],
    [
      "invalid UTF-8",
      paced(
        [...SENTENCES.slice(0, 2), Buffer.from([0x57, 0xff, 0xfe, 0x21]), ...SENTENCES.slice(3)],
        INTERVAL,
      ),
      /line 3 is not valid UTF-8/,
    ],
    [
      "an HTML error page",
      (_req, res) => {
        res.writeHead(200, { "content-type": "text/html" });
        res.end("<!DOCTYPE html><html><head><title>Gateway Error</title></head><body>oops</body></html>\n");
      },
      /HTTP 200 with an HTML page \("Gateway Error"\) instead of the function's answer/,
    ],
    [
      "a connection reset mid-stream",
      async (_req, res) => {
        res.writeHead(200, { "content-type": "text/plain" });
        for (const sentence of SENTENCES.slice(0, LAST - 1)) {
          res.write(`${sentence}\n`);
          await sleep(INTERVAL);
        }
        res.socket?.resetAndDestroy();
      },
      new RegExp(`the body was cut short after ${LAST - 1} line\\(s\\) \\(curl exit (18|56)`),
    ],
    [
      "a redirect elsewhere",
      (_req, res) => {
        res.writeHead(302, { location: "https://example.invalid/login" }).end();
      },
      /the URL redirects \(HTTP 302\) to https:\/\/example\.invalid\/login: point the check at the Function URL itself/,
    ],
  ])("fails %s with its own reason, exit 1", async (_name, behaviour, reason) => {
    const { result, reasons, code } = await check(behaviour);
    expect(reasons).toMatch(reason);
    expect(code).toBe(1);
    // Exactly one cause: what follows from it is not reported on top.
    expect(result.assertions.filter((a) => !a.passed).map((a) => a.reason)).toHaveLength(1);
  });

  it("fails a stall with no end, naming the sentence it waited for", async () => {
    const { reasons, code } = await check(
      async (_req, res) => {
        res.writeHead(200, { "content-type": "text/plain" });
        for (const sentence of SENTENCES.slice(0, LAST - 1)) res.write(`${sentence}\n`);
        await sleep(60_000);
      },
      { timeoutS: 1 },
    );
    expect(reasons).toContain(`timed out after 1 s waiting for sentence ${LAST} of ${SENTENCES.length}`);
    expect(code).toBe(1);
  });

  it("fails a URL that keeps answering 500 after retrying within --wait-s", async () => {
    const { result, reasons, code } = await check(
      (_req, res) => {
        res.writeHead(500, { "content-type": "application/json" }).end('{"message":"boom"}');
      },
      { waitS: 2 },
    );
    expect(result.attempts.length).toBeGreaterThan(1);
    expect(reasons).toMatch(/HTTP 500 .*boom.*still failing after \d+ attempts/);
    expect(code).toBe(1);
  });

  it("passes a URL that answers 403 for 1 s and then streams (a new URL's permissions propagating)", async () => {
    const started = Date.now();
    const { result, reasons, code } = await check(
      (req, res) => {
        if (Date.now() - started < 1000) {
          res.writeHead(403, { "content-type": "application/json" }).end('{"Message":"Forbidden"}');
          return;
        }
        return honest(INTERVAL)(req, res, 0);
      },
      { waitS: 10 },
    );
    expect(reasons).toBe("");
    expect(code).toBe(0);
    expect(result.attempts.length).toBeGreaterThan(1);
    expect(result.attempts[0]?.httpCode).toBe(403);
  });

  it("exits 2 when nothing ever answers", async () => {
    const server = await startServer(() => {});
    const url = server.url;
    await server.close();
    const result = await checkUrl(
      { label: "gone", url, expect: { lines: { text: SENTENCES, arrive: "paced" } } },
      { ...options, waitS: 1 },
    );
    expect(result.neverAnswered).toBe(true);
    expect(exitCodeFor([result])).toBe(2);
    expect(result.assertions[0]?.reason).toMatch(
      /nothing listens at .*\(connection refused\): the local emulator is not running/,
    );
  });

  it("never retries once the body has started", async () => {
    let hits = 0;
    const { result } = await check(async (_req, res) => {
      hits++;
      res.writeHead(200, { "content-type": "text/plain" });
      res.write(`${SENTENCES[0]}\n`);
      await sleep(20);
      res.socket?.resetAndDestroy();
    });
    expect(result.attempts).toHaveLength(1);
    expect(hits).toBe(1);
  });
});

describe("a local URL with nothing behind it", () => {
  it("fails within seconds, saying the emulator is not running, instead of waiting --wait-s", async () => {
    const server = await startServer(() => {});
    const url = server.url;
    await server.close();
    const started = performance.now();
    const result = await checkUrl(
      { label: "gone", url, expect: { lines: { text: SENTENCES, arrive: "paced" } } },
      { ...options, waitS: 60 },
    );
    expect(performance.now() - started).toBeLessThan(8000);
    expect(result.assertions).toHaveLength(1);
    expect(result.assertions[0]?.reason).toMatch(
      /nothing listens at .* the local emulator is not running; start it with npm start/,
    );
  });
});
