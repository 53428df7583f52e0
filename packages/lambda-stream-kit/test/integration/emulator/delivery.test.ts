import { createServer, request, type Server } from "node:http";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDelivery } from "../../../src/emulator/delivery/index.js";
import { type RunningFunction, serveFunction, serveLambdaApi } from "../../../src/emulator/emulator.js";
import type { RuntimeClientName } from "../../../src/emulator/runtime-clients.js";
import { listenOn } from "../../../src/listen.js";
import { type CheckResult, checkUrl, invokeTargetFor, targetFor } from "../../../src/stream-check/check.js";
import { DEFAULT_CHECK_OPTIONS } from "../../../src/stream-check/run.js";
import { send } from "../../helpers/http.js";
import { FUNCTIONS, functionNamed, SENTENCE_INTERVAL_ENV, withInterval } from "../../helpers/project.js";

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/handlers/${name}`, import.meta.url));
const clients: RuntimeClientName[] = ["ric", "builtin"];
// 400 ms: held until the next write, the last sentence is released by the stream's end, whose
// path (the runtime's end, its trailers, the relay) took 140 ms more than a write on a loaded
// machine; 0.45 of 400 ms leaves room for that, and the shapes run side by side.
const INTERVAL_MS = 400;
const options = {
  ...DEFAULT_CHECK_OPTIONS,
  intervalMs: INTERVAL_MS,
  toleranceMs: INTERVAL_MS * 0.45,
  waitS: 5,
};
const quiet = () => {};
// The row at the test pace: its environment and its expectation both.
const stream = withInterval(functionNamed("stream", FUNCTIONS), INTERVAL_MS);

/** The demo's streaming row under a delivery shape, checked as CI checks it. */
async function demoUnder(runtime: RuntimeClientName, delivery: string): Promise<CheckResult> {
  const fn = await serveFunction({
    function: stream,
    name: stream.name,
    invokeMode: stream.invokeMode,
    runtime,
    env: { ...stream.environment, [SENTENCE_INTERVAL_ENV]: String(INTERVAL_MS) },
    delivery: parseDelivery(delivery),
    log: quiet,
  });
  try {
    return await checkUrl(targetFor(stream, fn.url), options);
  } finally {
    await fn.close();
  }
}

const failures = (result: CheckResult) => result.assertions.filter((a) => !a.passed);

describe.each(clients)("delivery shapes on the %s runtime client", (runtime) => {
  let results: Record<string, CheckResult>;
  beforeAll(async () => {
    const shapes = ["prompt", "next-write", "prelude:25", "size:16KiB"];
    const checked = await Promise.all(shapes.map((shape) => demoUnder(runtime, shape)));
    results = Object.fromEntries(shapes.map((shape, i) => [shape, checked[i] as CheckResult]));
  });

  it("passes the demo delivered as written, and names the shape", () => {
    expect(failures(results.prompt as CheckResult)).toEqual([]);
    expect(results.prompt?.delivery.shape).toBe("prompt");
  });

  it("passes the demo with each write held until the next: every sentence one interval late, with a note", () => {
    const result = results["next-write"] as CheckResult;
    expect(failures(result)).toEqual([]);
    expect(result.delivery.shape).toBe("next-write");
    expect(result.final.arrivals[0]?.atMs).toBeGreaterThan(INTERVAL_MS);
    expect(result.assertions.find((a) => a.note)?.note).toMatch(/held until the next write/);
  });

  it("passes the demo under the prelude shape: its empty write puts the prelude on the wire a pause before the first sentence", () => {
    const result = results["prelude:25"] as CheckResult;
    expect(failures(result)).toEqual([]);
    expect(result.delivery.shape).toBe("prompt");
  });

  it("fails the demo under a 16 KiB threshold with the size cause: a text this small cannot stream", () => {
    const result = results["size:16KiB"] as CheckResult;
    expect(result.delivery.shape).toBe("at-end");
    expect(failures(result).map((a) => a.id)).toEqual(["chunks"]);
    expect(failures(result)[0]?.reason).toMatch(/held until the end .*16 KB to 100 KB/);
    expect(failures(result)[0]?.reason).not.toMatch(/invoke mode/);
  });

  it("shapes InvokeWithResponseStream's payload chunks too: the SDK sees each sentence held until the next", async () => {
    const fn = await serveFunction({
      function: stream,
      name: stream.name,
      invokeMode: stream.invokeMode,
      runtime,
      env: { [SENTENCE_INTERVAL_ENV]: String(INTERVAL_MS) },
      delivery: parseDelivery("next-write"),
      log: quiet,
    });
    const api = await serveLambdaApi([fn], { log: quiet });
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_LAMBDA: api.endpoint,
      AWS_ACCESS_KEY_ID: "local",
      AWS_SECRET_ACCESS_KEY: "local",
    });
    try {
      const result = await checkUrl(
        invokeTargetFor(stream, { functionName: fn.name, region: "us-east-1" }),
        options,
      );
      expect(failures(result)).toEqual([]);
      expect(result.final.curl.transport).toBe("sdk");
      expect(result.delivery.shape).toBe("next-write");
      expect(result.final.arrivals[0]?.atMs).toBeGreaterThan(INTERVAL_MS * 0.75);
    } finally {
      process.env = saved;
      await api.close();
      await fn.close();
    }
  });

  it("holds a body written right behind its prelude to the end, as reported (#94)", async () => {
    const fn = await serveFunction({
      handler: fixture("prelude-no-pause.mjs"),
      invokeMode: "RESPONSE_STREAM",
      runtime,
      delivery: parseDelivery("prelude:25"),
      log: quiet,
    });
    try {
      const received = await send(fn.url);
      expect(received.body.toString()).toBe("one\ntwo\n");
      expect(received.chunks).toHaveLength(1);
      expect(received.chunks[0]?.atMs).toBeGreaterThan(300);
    } finally {
      await fn.close();
    }
  });

  // Small irregular writes: "a" at 0, "bb" at 40, "ccc\n" at 240, "dddd\n" at 540, end at 840.
  // Side by side: each case has its own function, and the times are relative to its own start.
  it.concurrent.each([
    ["prompt", ["a", "bb", "ccc\n", "dddd\n"], [0, 40, 240, 540]],
    // No prelude: the prelude shape delivers as written.
    ["prelude:25", ["a", "bb", "ccc\n", "dddd\n"], [0, 40, 240, 540]],
    ["next-write", ["a", "bb", "ccc\n", "dddd\n"], [40, 240, 540, 840]],
    ["size:5", ["abbccc\n", "dddd\n"], [240, 540]],
    ["size:8", ["abbccc\ndddd\n"], [540]],
    ["size:16KiB", ["abbccc\ndddd\n"], [840]],
  ])(
    "shows a client of a handler with small irregular writes, under %s, what the shape makes of them",
    async (delivery, texts, times) => {
      const fn = await serveFunction({
        handler: fixture("irregular.mjs"),
        invokeMode: "RESPONSE_STREAM",
        runtime,
        delivery: parseDelivery(delivery),
        log: quiet,
      });
      try {
        await send(fn.url); // a warm instance, so the times below are the handler's
        const received = await send(fn.url);
        expect(received.chunks.map((c) => c.data.toString())).toEqual(texts);
        const start = (received.chunks[0]?.atMs ?? 0) - (times[0] ?? 0);
        for (const [i, chunk] of received.chunks.entries()) {
          // Generous: a shared machine stalls; the order and grouping above are the point.
          expect(Math.abs(chunk.atMs - start - (times[i] ?? 0))).toBeLessThan(120);
        }
      } finally {
        await fn.close();
      }
    },
  );
});

/**
 * A relay of our own (not the emulator) that holds each chunk until the next one arrives or
 * the upstream ends: the shape reported of real Function URLs, in front of a prompt emulator.
 */
async function holdingRelay(upstream: string): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const up = request(upstream, { method: req.method, headers: { accept: "*/*" } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, {
        "content-type": answer.headers["content-type"] ?? "text/plain",
      });
      let held: Buffer | undefined;
      answer.on("data", (chunk: Buffer) => {
        if (held) res.write(held);
        held = chunk;
      });
      answer.on("end", () => res.end(held));
    });
    up.end();
  });
  return { url: `${await listenOn(server, "127.0.0.1", 0)}/`, server };
}

describe("a proxy that holds each chunk until the next", () => {
  const running: RunningFunction[] = [];
  const servers: Server[] = [];
  afterAll(async () => {
    for (const server of servers) server.close();
    await Promise.all(running.map((fn) => fn.close()));
  });

  async function throughRelay(handler?: string): Promise<CheckResult> {
    const fn = await serveFunction({
      ...(handler ? { handler } : { function: stream, name: stream.name }),
      invokeMode: "RESPONSE_STREAM",
      env: { ...stream.environment, [SENTENCE_INTERVAL_ENV]: String(INTERVAL_MS) },
      log: quiet,
    });
    running.push(fn);
    const relay = await holdingRelay(fn.url);
    servers.push(relay.server);
    return checkUrl(targetFor(stream, relay.url), options);
  }

  it.concurrent("passes the demo with the held-until-next note: never 'buffered', never the cadence", async () => {
    const result = await throughRelay();
    expect(failures(result)).toEqual([]);
    expect(result.delivery.shape).toBe("next-write");
    expect(result.assertions.find((a) => a.note)?.note).toMatch(/held until the next write/);
  });

  it.concurrent("fails a stream that ends right after its last write with the held-until-next cause", async () => {
    const result = await throughRelay(fixture("ends-at-once.ts"));
    expect(result.delivery.shape).toBe("next-write");
    const [cause] = failures(result);
    expect(cause?.reason).toMatch(/^each write was held until the next one/);
    expect(cause?.reason).not.toMatch(/BUFFERED|too slow|too fast|differs/);
  });
});
