import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningFunction, serveFunction } from "../../../src/emulator/emulator.js";
import { probeRic, type RuntimeClientName } from "../../../src/emulator/runtime-clients.js";
import { fetchOnce } from "../../../src/stream-check/measure.js";
import { send, waitFor } from "../../helpers/http.js";

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/handlers/${name}`, import.meta.url));
const MiB = 1024 * 1024;

// The RIC is the reference; it must load on this machine (Linux with gcc and cmake), so
// its absence is a failure here, not a skip: the built-in client is only proven against it.
const clients: RuntimeClientName[] = ["ric", "builtin"];

describe("aws-lambda-ric", () => {
  it("loads here, so the built-in client is tested against AWS's own", () => {
    expect(probeRic()).toHaveProperty("entry");
  });
});

describe.each(clients)("emulator with the %s runtime client", (runtime) => {
  const logs: string[] = [];
  const log = (line: string) => logs.push(line);
  let stream: RunningFunction;
  let bufferedMode: RunningFunction;
  let classic: RunningFunction;
  // Lambda's smallest timeout, for the test that waits for one.
  let shortTimeout: RunningFunction;

  beforeAll(async () => {
    const common = { runtime, timeoutS: 3, log };
    [stream, bufferedMode, classic, shortTimeout] = await Promise.all([
      serveFunction({ ...common, handler: fixture("streaming-router.mjs"), invokeMode: "RESPONSE_STREAM" }),
      serveFunction({ ...common, handler: fixture("streaming-router.mjs"), invokeMode: "BUFFERED" }),
      serveFunction({ ...common, handler: fixture("buffered-router.mjs"), invokeMode: "RESPONSE_STREAM" }),
      serveFunction({
        ...common,
        timeoutS: 1,
        handler: fixture("streaming-router.mjs"),
        invokeMode: "RESPONSE_STREAM",
      }),
    ]);
  });

  afterAll(async () => {
    const all = [stream, bufferedMode, classic, shortTimeout];
    const pids = all.flatMap((fn) => fn?.pool.pids() ?? []);
    await Promise.all(all.map((fn) => fn?.close()));
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow(/ESRCH/);
  });

  it(`uses the ${runtime} client`, () => {
    expect(stream.client.name).toBe(runtime);
  });

  it("delivers each write to curl as it is written (RESPONSE_STREAM)", async () => {
    const attempt = await fetchOnce(`${stream.url}ticks?n=6&ms=150`, { maxTimeS: 20 });
    expect(attempt.curl.exitCode).toBe(0);
    expect(attempt.curl.httpCode).toBe(200);
    expect(attempt.arrivals).toHaveLength(6);
    const gaps = attempt.arrivals.slice(1).map((a, i) => a.atMs - (attempt.arrivals[i]?.atMs ?? 0));
    // Bounds for a shared machine (a late line makes the next gap short): buffering would
    // put lines together (gaps near 0), which these still catch.
    for (const gap of gaps) {
      expect(gap).toBeGreaterThan(60);
      expect(gap).toBeLessThan(400);
    }
    // Each line carries its write time: a steady write-to-arrival offset means no layer
    // held a line back (buffering would make later offsets shrink by whole intervals).
    const offsets = attempt.arrivals.map((a) => a.atMs - Number(a.bytes.toString().split(" ")[1]));
    expect(Math.max(...offsets) - Math.min(...offsets)).toBeLessThan(100);
  });

  it("sends status 200, the handler's content type, chunked encoding and AWS's request headers", async () => {
    const response = await send(`${stream.url}ticks?n=2&ms=10`);
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe("text/plain");
    expect(response.headers["transfer-encoding"]).toBe("chunked");
    expect(response.headers["x-amzn-requestid"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers["x-amzn-trace-id"]).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}/);
    expect(response.complete).toBe(true);
  });

  it("defaults the content type to application/octet-stream", async () => {
    const response = await send(`${stream.url}default-type`);
    expect(response.headers["content-type"]).toBe("application/octet-stream");
    expect(response.body.toString()).toBe("bytes");
  });

  it("turns an HttpResponseStream prelude into status, headers and cookies", async () => {
    const response = await send(`${stream.url}prelude`);
    expect(response.status).toBe(201);
    expect(response.headers["content-type"]).toBe("text/csv");
    expect(response.headers["x-custom"]).toBe("yes");
    expect(response.headers["set-cookie"]).toEqual(["a=1; Path=/", "b=2; HttpOnly"]);
    expect(response.body.toString()).toBe("x,y\n1,2\n");
  });

  it("answers 502 for end(data) with no write before it, as AWS does (the prelude is skipped)", async () => {
    const response = await send(`${stream.url}prelude-end-only`);
    expect(response.status).toBe(502);
  });

  it("cuts the stream when setContentType comes after a write, and logs why as the RIC does", async () => {
    const response = await send(`${stream.url}late-content-type`);
    expect(response.status).toBe(200);
    expect(response.body.toString()).toBe("first\n");
    expect(response.complete).toBe(false);
    const line = await waitFor(
      () => logs.find((l) => l.includes("Invoke Error") && l.includes("Cannot set content-type, too late.")),
      5000,
      "the error log",
    );
    // The RIC's line: "Invoke Error", a tab, JSON with the stack as lines (not the posted `trace`).
    const logged = JSON.parse(line.slice(line.indexOf("Invoke Error \t{") + "Invoke Error \t".length));
    expect(logged).toMatchObject({
      errorType: "Runtime.InvalidStreamingOperation",
      errorMessage: "Cannot set content-type, too late.",
    });
    expect(logged.stack[0]).toBe("Runtime.InvalidStreamingOperation: Cannot set content-type, too late.");
    expect(logged).not.toHaveProperty("trace");
  });

  it("answers 502 with AWS's JSON body when the handler throws before its first byte", async () => {
    const response = await send(`${stream.url}throw-before`);
    expect(response.status).toBe(502);
    expect(JSON.parse(response.body.toString())).toEqual({ message: "Internal Server Error" });
    await waitFor(() => logs.some((l) => l.includes("failed before any byte")), 5000, "the error log");
  });

  it("cuts the body short (no terminating chunk) when the handler throws mid-stream", async () => {
    const response = await send(`${stream.url}throw-after`);
    expect(response.status).toBe(200);
    expect(response.body.toString()).toBe("one\ntwo\n");
    expect(response.complete).toBe(false);
    await waitFor(() => logs.some((l) => l.includes("failed mid-stream")), 5000, "the error log");
    // curl sees it too: exit 18 (partial file) or 56 (receive failure), never a clean 0.
    const attempt = await fetchOnce(`${stream.url}throw-after`, { maxTimeS: 10 });
    expect([18, 56]).toContain(attempt.curl.exitCode);
  });

  it("stops an invocation at its timeout, cuts the stream and logs it", async () => {
    const started = performance.now();
    const response = await send(`${shortTimeout.url}hang`);
    const elapsed = performance.now() - started;
    expect(response.body.toString()).toBe("start\n");
    expect(response.complete).toBe(false);
    expect(elapsed).toBeGreaterThan(900);
    expect(elapsed).toBeLessThan(8_000);
    expect(logs.some((l) => l.includes("Task timed out after 1.00 seconds"))).toBe(true);
  });

  it("prints everything an invocation logged before its END line, as Lambda does", async () => {
    const from = logs.length;
    const mine = () => logs.slice(from);
    for (const tag of ["a", "b", "c", "d"]) {
      const response = await send(`${classic.url}logs?tag=${tag}`);
      expect(response.status).toBe(200);
    }
    const ends = () => mine().filter((l) => l.startsWith("END RequestId")).length;
    await waitFor(() => (ends() >= 4 ? true : undefined), 5000, "END lines");
    // Give late lines the chance to show up out of order, were they to.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const lines = mine();
    for (const tag of ["a", "b", "c", "d"]) {
      const own = lines.flatMap((line, at) => (line.includes(`line ${tag}`) ? [at] : []));
      expect(own, lines.join("\n")).toHaveLength(4);
      // Its own END (by request id: the next invocation may start before it is printed)
      // comes after every line it logged.
      const requestId = (lines[own[0] ?? 0] ?? "").split("\t")[1];
      const end = lines.indexOf(`END RequestId: ${requestId}`);
      expect(end, lines.join("\n")).toBeGreaterThan(-1);
      expect(Math.max(...own), lines.join("\n")).toBeLessThan(end);
    }
  });

  it("replaces an instance that exits inside the handler and keeps serving", async () => {
    const crashed = await send(`${stream.url}exit`);
    // The write raced the exit: either nothing was sent (502) or the body is cut short.
    if (crashed.status === 502) expect(crashed.body.toString()).toContain("Internal Server Error");
    else expect(crashed.complete).toBe(false);
    await waitFor(
      () => logs.some((l) => l.includes("Runtime exited with error: exit status 3")),
      5000,
      "exit log",
    );
    const next = await send(`${stream.url}ticks?n=2&ms=10`);
    expect(next.status).toBe(200);
    expect(next.complete).toBe(true);
  });

  it("runs the function to its end when the client disconnects, and keeps serving", async () => {
    const before = logs.length;
    const response = await send(`${stream.url}ticks?n=5&ms=200`, { disconnectAfterChunks: 1 });
    expect(response.chunks).toHaveLength(1);
    const requestId = String(response.headers["x-amzn-requestid"]);
    const report = await waitFor(
      () => logs.slice(before).find((l) => l.startsWith(`REPORT RequestId: ${requestId}`)),
      10_000,
      "the REPORT line",
    );
    expect(report).not.toContain("Status: error");
    expect(logs.slice(before).some((l) => l.includes("ticks finished n=5"))).toBe(true);
    expect(report).toMatch(/Duration: (\d+)/);
    expect(Number(/Duration: ([\d.]+)/.exec(report)?.[1])).toBeGreaterThan(700);
    expect((await send(`${stream.url}ticks?n=1`)).status).toBe(200);
  });

  it("streams 20 concurrent clients to completion on concurrent instances", async () => {
    // 20, not more: each new instance is a Node process (the suite's CPU is its time).
    const started = performance.now();
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => send(`${stream.url}ticks?n=4&ms=100`)),
    );
    for (const response of responses) {
      expect(response.status).toBe(200);
      expect(response.complete).toBe(true);
      expect(response.body.toString().trim().split("\n")).toHaveLength(4);
    }
    // One at a time would take 20 x 300 ms; warm instances are reused as they free up.
    expect(performance.now() - started).toBeLessThan(20 * 300);
    expect(stream.pool.instanceCount).toBeGreaterThanOrEqual(5);
  }, 60_000);

  it("logs a REPORT line with duration, memory and bytes per invocation", async () => {
    const response = await send(`${stream.url}ticks?n=1`);
    const requestId = String(response.headers["x-amzn-requestid"]);
    const report = await waitFor(
      () => logs.find((l) => l.startsWith(`REPORT RequestId: ${requestId}`)),
      5000,
      "REPORT",
    );
    expect(report).toMatch(/Duration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB/);
    expect(report).toContain(`Bytes: ${response.body.length}`);
    expect(logs).toContain(`START RequestId: ${requestId} Version: $LATEST`);
    // The function's own console output carries the request id, as on Lambda.
    expect(logs.some((l) => /\t[0-9a-f-]{36}\tINFO\tticks finished/.test(l))).toBe(true);
  });

  it("BUFFERED: holds every byte until the function ends, then sends it whole", async () => {
    const response = await send(`${bufferedMode.url}ticks?n=4&ms=150`);
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe("text/plain");
    expect(response.headers["content-length"]).toBe(String(response.body.length));
    expect(response.body.toString().trim().split("\n")).toHaveLength(4);
    const spread = (response.chunks.at(-1)?.atMs ?? 0) - (response.chunks[0]?.atMs ?? 0);
    expect(response.chunks[0]?.atMs).toBeGreaterThan(400);
    expect(spread).toBeLessThan(50);
  });

  it("BUFFERED: applies an HttpResponseStream prelude to the whole response", async () => {
    const response = await send(`${bufferedMode.url}prelude`);
    expect(response.status).toBe(201);
    expect(response.headers["set-cookie"]).toEqual(["a=1; Path=/", "b=2; HttpOnly"]);
    expect(response.body.toString()).toBe("x,y\n1,2\n");
  });

  it("BUFFERED: answers 502 for a response over 6 MB, and logs the limit", async () => {
    const response = await send(`${bufferedMode.url}big?bytes=${7 * MiB}`);
    expect(response.status).toBe(502);
    await waitFor(() => logs.some((l) => l.includes("exceeded the BUFFERED limit")), 5000, "the limit log");
  });

  it("a returned result: accepts 6,291,556 bytes (Lambda's figure), answers 502 one byte over, naming the error", async () => {
    const limit = 6 * MiB + 100;
    const atLimit = await send(`${classic.url}sized?bytes=${limit}`);
    expect(atLimit.status).toBe(200);
    expect(atLimit.body.length).toBe(limit - 2);
    const over = await send(`${classic.url}sized?bytes=${limit + 1}`);
    expect(over.status).toBe(502);
    await waitFor(
      () => logs.some((l) => l.includes("Function.ResponseSizeTooLarge")),
      5000,
      "the ResponseSizeTooLarge log",
    );
  });

  it.each([100, 199, 600])(
    "answers 502 for status %i from a result, a prelude or a buffered prelude, with one line naming it",
    async (code) => {
      const answers = await Promise.all([
        send(`${classic.url}status?code=${code}`),
        send(`${stream.url}prelude-status?code=${code}`),
        send(`${bufferedMode.url}prelude-status?code=${code}`),
      ]);
      expect(answers.map((a) => a.status)).toEqual([502, 502, 502]);
      expect(answers[1]?.body.toString()).toBe('{"message":"Internal Server Error"}');
      const said = logs.filter((l) =>
        l.includes(`answered status ${code}, which is not a final HTTP status`),
      );
      expect(said).toHaveLength(3);
    },
  );

  it("says in one line that a Function URL ignores multiValueHeaders (API Gateway's), and answers the rest", async () => {
    const response = await send(`${classic.url}multi-value`);
    expect(response.status).toBe(200);
    expect(response.body.toString()).toBe("ok");
    expect(response.headers["x-many"]).toBeUndefined();
    await waitFor(
      () => logs.find((l) => l.includes("multiValueHeaders ignored: it is API Gateway's")),
      5000,
      "the multiValueHeaders line",
    );
  });

  it("RESPONSE_STREAM: streams past 6 MB (the buffered limit does not apply)", async () => {
    const response = await send(`${stream.url}big?bytes=${7 * MiB}`);
    expect(response.status).toBe(200);
    expect(response.body.length).toBe(7 * MiB);
    expect(response.complete).toBe(true);
  });

  it("rejects a request body over 6 MB with 413", async () => {
    const response = await send(`${stream.url}echo`, { method: "POST", body: Buffer.alloc(6 * MiB + 1) });
    expect(response.status).toBe(413);
  });

  it("counts the event against the 6 MB, not the raw body: 5 MiB of binary is 6.7 MiB in base64", async () => {
    const binary = { "content-type": "application/octet-stream" };
    const tooBig = await send(`${stream.url}echo`, {
      method: "POST",
      headers: binary,
      body: Buffer.alloc(5 * MiB),
    });
    expect(tooBig.status).toBe(413);
    const text = { "content-type": "text/plain" };
    const fits = await send(`${stream.url}echo`, {
      method: "POST",
      headers: text,
      body: Buffer.alloc(5 * MiB, 97),
    });
    expect(fits.status).toBe(200);
  });

  it("gives the event what a Function URL adds: apiId = domainPrefix, x-forwarded-*, the trace id", async () => {
    const response = await send(`${stream.url}echo`, { headers: { "x-forwarded-for": "203.0.113.9" } });
    const event = JSON.parse(response.body.toString());
    expect(event.requestContext.apiId).toBe(event.requestContext.domainPrefix);
    expect(event.requestContext.apiId).toMatch(/^[0-9a-f]{32}$/);
    expect(event.headers["x-forwarded-for"]).toBe(`203.0.113.9, ${event.requestContext.http.sourceIp}`);
    expect(event.headers["x-forwarded-proto"]).toBe("http");
    expect(event.headers["x-forwarded-port"]).toBe(new URL(stream.url).port);
    // The same trace as the answer's X-Amzn-Trace-Id (whose Root it is).
    expect(event.headers["x-amzn-trace-id"]).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    expect(String(response.headers["x-amzn-trace-id"])).toContain(event.headers["x-amzn-trace-id"]);
  });

  it("buffered results: JSON without statusCode becomes a 200 application/json", async () => {
    const response = await send(`${classic.url}object`);
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(response.body.toString())).toEqual({ hello: "world", list: [1, 2] });
    expect((await send(`${classic.url}string`)).body.toString()).toBe("plain words");
  });

  it("buffered results: statusCode, headers, cookies and body are used as given", async () => {
    const response = await send(`${classic.url}described`);
    expect(response.status).toBe(418);
    expect(response.headers["content-type"]).toBe("text/plain");
    expect(response.headers["x-tea"]).toBe("earl grey");
    expect(response.headers["set-cookie"]).toEqual(["c=3"]);
    expect(response.body.toString()).toBe("I'm a teapot");
    const binary = await send(`${classic.url}binary`);
    expect(binary.body).toEqual(Buffer.from("iVBORw0K", "base64"));
  });

  it("buffered results: a thrown error is a 502", async () => {
    const response = await send(`${classic.url}error`);
    expect(response.status).toBe(502);
    expect(JSON.parse(response.body.toString())).toEqual({ message: "Internal Server Error" });
  });

  it("builds a payload 2.0 event with every Function URL field", async () => {
    const response = await send(`${classic.url}some/path?a=1&b=2&a=3`, {
      method: "POST",
      headers: {
        "X-Multi": ["one", "two"],
        Cookie: "k1=v1; k2=v2",
        "Content-Type": "application/json",
        "User-Agent": "tester/1",
      },
      body: '{"in":true}',
    });
    const event = JSON.parse(response.body.toString());
    expect(event).toMatchObject({
      version: "2.0",
      routeKey: "$default",
      rawPath: "/some/path",
      rawQueryString: "a=1&b=2&a=3",
      cookies: ["k1=v1", "k2=v2"],
      queryStringParameters: { a: "1,3", b: "2" },
      body: '{"in":true}',
      isBase64Encoded: false,
      requestContext: {
        accountId: "anonymous",
        routeKey: "$default",
        stage: "$default",
        requestId: response.headers["x-amzn-requestid"],
        http: {
          method: "POST",
          path: "/some/path",
          protocol: "HTTP/1.1",
          sourceIp: "127.0.0.1",
          userAgent: "tester/1",
        },
      },
    });
    expect(event.headers["x-multi"]).toBe("one,two");
    expect(event.headers.cookie).toBeUndefined();
    expect(event.requestContext.time).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(Math.abs(event.requestContext.timeEpoch - Date.now())).toBeLessThan(60_000);

    const binary = await send(`${classic.url}bin`, {
      method: "POST",
      headers: { "content-type": "application/octet-stream" },
      body: Buffer.from([0, 1, 2, 255]),
    });
    const binaryEvent = JSON.parse(binary.body.toString());
    expect(binaryEvent.isBase64Encoded).toBe(true);
    expect(Buffer.from(binaryEvent.body, "base64")).toEqual(Buffer.from([0, 1, 2, 255]));
  });
});

describe.each(clients)("function init with the %s runtime client", (runtime) => {
  // A short timeout: the RIC posts the not-async error without awaiting it and then
  // blocks in its native next(), so on a loaded machine the error may never leave and
  // the invocation ends at its timeout instead. Either way the client gets a 502.
  async function withFixture(name: string, check: (url: string, logs: string[]) => Promise<void>) {
    const logs: string[] = [];
    const fn = await serveFunction({
      handler: fixture(name),
      invokeMode: "RESPONSE_STREAM",
      runtime,
      timeoutS: 3,
      log: (l) => logs.push(l),
    });
    try {
      await check(fn.url, logs);
    } finally {
      await fn.close();
    }
  }

  it("answers 502 when the module fails to load, logging the init error", async () => {
    await withFixture("init-error.mjs", async (url, logs) => {
      expect((await send(url)).status).toBe(502);
      expect(logs.some((l) => /SENTENCE_INTERVAL_MS=\\?"abc\\?" is invalid/.test(l))).toBe(true);
      expect((await send(url)).status).toBe(502);
    });
  });

  it("refuses a streamified handler that is not async", async () => {
    await withFixture("not-async.mjs", async (url, logs) => {
      expect((await send(url)).status).toBe(502);
      await waitFor(
        () => logs.some((l) => l.includes("Streaming does not support non-async handlers.")),
        5000,
        "log",
      );
    });
  });
});

// CORS is the Function URL's, not the runtime client's: one client suffices.
describe("a Function URL with CORS", () => {
  const page = "http://127.0.0.1:3010";
  const logs: string[] = [];
  let fn: RunningFunction;

  beforeAll(async () => {
    fn = await serveFunction({
      handler: fixture("streaming-router.mjs"),
      invokeMode: "RESPONSE_STREAM",
      cors: { allowOrigins: [page], allowMethods: ["GET"], exposeHeaders: ["x-amzn-RequestId"], maxAge: 60 },
      log: (line) => logs.push(line),
    });
  });
  afterAll(async () => {
    await fn?.close();
  });

  it("answers a preflight itself, without invoking the function", async () => {
    const before = logs.filter((line) => line.startsWith("START")).length;
    const allowed = await send(fn.url, {
      method: "OPTIONS",
      headers: { origin: page, "access-control-request-method": "GET" },
    });
    expect(allowed.status).toBe(200);
    expect(allowed.headers["access-control-allow-origin"]).toBe(page);
    expect(allowed.headers["access-control-allow-methods"]).toBe("GET");
    expect(allowed.headers["access-control-max-age"]).toBe("60");
    const refused = await send(fn.url, {
      method: "OPTIONS",
      headers: { origin: "http://evil.example", "access-control-request-method": "GET" },
    });
    expect(refused.headers["access-control-allow-origin"]).toBeUndefined();
    expect(logs.filter((line) => line.startsWith("START")).length).toBe(before);
  });

  it("adds its headers to a streamed response for an allowed origin, in place of the function's own", async () => {
    const started = performance.now();
    const arrivals: number[] = [];
    const res = await fetch(`${fn.url}own-cors`, { headers: { origin: page } });
    expect(res.headers.get("access-control-allow-origin")).toBe(page);
    expect(res.headers.get("access-control-expose-headers")).toBe("x-amzn-RequestId");
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    for (let read = await reader.read(); !read.done; read = await reader.read())
      arrivals.push(performance.now() - started);
    // Still a stream: the two lines, written 300 ms apart, came apart.
    expect(arrivals.length).toBeGreaterThanOrEqual(2);
    expect((arrivals.at(-1) ?? 0) - (arrivals[0] ?? 0)).toBeGreaterThan(100);
    const other = await fetch(`${fn.url}own-cors`, { headers: { origin: "http://evil.example" } });
    await other.text();
    // A disallowed origin gets no CORS header at all, not even the function's own `*`.
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
  });
});
