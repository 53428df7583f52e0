import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { serveFunction } from "../../../src/emulator/emulator.js";
import { AwsStreamLimits } from "../../../src/emulator/stream-limits.js";
import { send } from "../../helpers/http.js";

const MiB = 1024 * 1024;
const fixture = fileURLToPath(new URL("../../fixtures/handlers/streaming-router.mjs", import.meta.url));

async function pass(limits: AwsStreamLimits, chunks: number, size: number) {
  const arrivals: number[] = [];
  const start = performance.now();
  await pipeline(
    Readable.from(Array.from({ length: chunks }, () => Buffer.alloc(size))),
    limits,
    new Writable({
      write(_chunk, _enc, done) {
        arrivals.push(performance.now() - start);
        done();
      },
    }),
  );
  return arrivals;
}

describe("AWS streaming limits", () => {
  it("passes the burst at full speed, then paces bytes at the configured rate", async () => {
    // 10 KB burst, then 20 KB at 100 KB/s: the last byte is due 200 ms after the burst.
    const arrivals = await pass(
      new AwsStreamLimits({ maxBytes: 1e9, burstBytes: 10_000, bytesPerSecond: 100_000 }),
      30,
      1000,
    );
    // Judged from the end of the burst, not the start: beside two whole suites the burst itself
    // once took 75 ms. The paced part takes its 200 ms whatever the load adds.
    const burst = arrivals[9] ?? 0;
    const paced = (arrivals.at(-1) ?? 0) - burst;
    expect(burst).toBeLessThan(150);
    expect(paced).toBeGreaterThan(180);
    expect(paced).toBeLessThan(600);
  });

  it("fails the stream past the size cap", async () => {
    await expect(
      pass(new AwsStreamLimits({ maxBytes: 5000, burstBytes: 1e9, bytesPerSecond: 1 }), 10, 1000),
    ).rejects.toThrow(/exceeded Lambda's 5000 byte streaming limit/);
  });

  it("--aws-limits: a 10 MiB stream takes about 2 s (6 MiB burst, then 2 MiB/s)", async () => {
    const fn = await serveFunction({
      handler: fixture,
      invokeMode: "RESPONSE_STREAM",
      awsLimits: true,
      runtime: "builtin",
      log: () => {},
    });
    try {
      const started = performance.now();
      const response = await send(`${fn.url}big?bytes=${10 * MiB}`);
      const seconds = (performance.now() - started) / 1000;
      expect(response.body.length).toBe(10 * MiB);
      expect(seconds).toBeGreaterThan(1.9);
      expect(seconds).toBeLessThan(5);
    } finally {
      await fn.close();
    }
  });
});
