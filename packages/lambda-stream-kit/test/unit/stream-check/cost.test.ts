import { describe, expect, it } from "vitest";
import { costLine, describeCost, parseReport, requestCostUsd } from "../../../src/stream-check/cost.js";
import { LAMBDA_PRICES, priceTableAgeDays } from "../../../src/stream-check/prices.js";

// REPORT lines as Lambda writes them (tab-separated; Init Duration on a cold start).
const WARM =
  "REPORT RequestId: 8f5a-1\tDuration: 10002.61 ms\tBilled Duration: 10003 ms\tMemory Size: 128 MB\tMax Memory Used: 67 MB\t";
const COLD =
  "REPORT RequestId: 8f5a-2\tDuration: 10010.09 ms\tBilled Duration: 10150 ms\tMemory Size: 128 MB\tMax Memory Used: 71 MB\tInit Duration: 139.44 ms\t";
const EMULATOR =
  "REPORT RequestId: 8f5a-3\tDuration: 2711.20 ms\tBilled Duration: 2712 ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB\tBytes: 1467";

describe("REPORT lines", () => {
  it("reads duration, billed duration, memory, max memory and a cold start's init", () => {
    expect(parseReport(WARM)).toEqual({
      requestId: "8f5a-1",
      durationMs: 10002.61,
      billedMs: 10003,
      memoryMb: 128,
      maxMemoryMb: 67,
      initMs: undefined,
    });
    expect(parseReport(COLD)).toMatchObject({ durationMs: 10010.09, billedMs: 10150, initMs: 139.44 });
    expect(parseReport(EMULATOR)).toMatchObject({ billedMs: 2712, maxMemoryMb: 60 });
    expect(parseReport("START RequestId: 8f5a-1 Version: $LATEST")).toBeUndefined();
  });
});

describe("what a request costs", () => {
  it("adds the request price and the GB-seconds at the architecture's price (checked by hand)", () => {
    // 128 MB = 0.125 GB; 10,003 ms = 10.003 s: 1.250375 GB-s.
    // arm64: 0.0000002 + 1.250375 x 0.0000133334 = 0.0000002 + 0.00001667175 = 0.00001687175
    expect(requestCostUsd({ billedMs: 10003, memoryMb: 128 }, "arm64", 1467)).toBeCloseTo(0.00001687175, 12);
    // x86_64: 0.0000002 + 1.250375 x 0.0000166667 = 0.0000002 + 0.00002083963 = 0.00002103963
    expect(requestCostUsd({ billedMs: 10003, memoryMb: 128 }, "x86_64", 1467)).toBeCloseTo(0.00002103963, 10);
  });

  it("charges streamed bytes only past the first 6 MB of a response", () => {
    const base = requestCostUsd({ billedMs: 1000, memoryMb: 1024 }, "arm64", 6 * 1024 * 1024);
    // 1 GiB past the free 6 MB: $0.008 more.
    const more = requestCostUsd({ billedMs: 1000, memoryMb: 1024 }, "arm64", 6 * 1024 * 1024 + 1024 ** 3);
    expect(more - base).toBeCloseTo(0.008, 12);
  });

  it("gives a row's line: median billed, the largest memory used, dollars per 1,000", () => {
    const reports = [WARM, COLD, EMULATOR].flatMap((line) => parseReport(line) ?? []);
    const line = costLine(reports, "arm64", 1467);
    // Billed 2712, 10003, 10150: the median is 10003.
    expect(line).toEqual({
      invocations: 3,
      medianBilledMs: 10003,
      maxMemoryMb: 71,
      memoryMb: 128,
      usdPer1000: expect.closeTo(0.01687175, 8),
    });
    expect(describeCost(line as NonNullable<typeof line>, "arm64")).toBe(
      `billed 10,003 ms (median of 3), memory 71 of 128 MB, $0.0169 per 1,000 requests (arm64, list price ${LAMBDA_PRICES.readOn})`,
    );
    expect(costLine([], "arm64", 0)).toBeUndefined();
  });
});

describe("the price table", () => {
  it("says when it was read; the kit warns (never fails) once it is over a year old", () => {
    expect(priceTableAgeDays(new Date(`${LAMBDA_PRICES.readOn}T12:00:00Z`))).toBe(0);
    expect(priceTableAgeDays(new Date("2028-01-01T00:00:00Z"), "2026-11-30")).toBe(397);
    const age = priceTableAgeDays(new Date());
    if (age > 365) console.warn(`the Lambda price table is ${age} days old: re-read ${LAMBDA_PRICES.source}`);
    expect(age).toBeGreaterThanOrEqual(0);
  });
});
