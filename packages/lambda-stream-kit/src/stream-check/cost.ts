import { type Architecture, LAMBDA_PRICES } from "./prices.js";

/**
 * One invocation's figures from its `REPORT` line (Lambda's "REPORT RequestId: <id>\tDuration:
 * 102.53 ms\tBilled Duration: 103 ms\tMemory Size: 128 MB\tMax Memory Used: 67 MB", with an
 * `Init Duration` on a cold start). AWS's line has no bytes field: bytes come from the reads.
 */
export interface Report {
  requestId: string;
  durationMs: number;
  billedMs: number;
  memoryMb: number;
  maxMemoryMb: number | undefined;
  initMs: number | undefined;
}

export function parseReport(line: string): Report | undefined {
  const requestId = /^REPORT RequestId: (\S+)/.exec(line)?.[1];
  if (!requestId) return undefined;
  const field = (name: string) => {
    const value = new RegExp(`${name}: ([\\d.]+) (?:ms|MB)`).exec(line)?.[1];
    return value === undefined ? undefined : Number(value);
  };
  const durationMs = field("(?<!Billed |Init )Duration");
  const billedMs = field("Billed Duration");
  const memoryMb = field("Memory Size");
  if (durationMs === undefined || billedMs === undefined || memoryMb === undefined) return undefined;
  return {
    requestId,
    durationMs,
    billedMs,
    memoryMb,
    maxMemoryMb: field("Max Memory Used"),
    initMs: field("Init Duration"),
  };
}

/** What one such request costs, in US dollars, at the table's list prices. */
export function requestCostUsd(
  report: Pick<Report, "billedMs" | "memoryMb">,
  architecture: Architecture,
  streamedBytes: number,
  prices = LAMBDA_PRICES,
): number {
  const gbSeconds = (report.memoryMb / 1024) * (report.billedMs / 1000);
  const streamedGb = Math.max(0, streamedBytes - prices.streamedFreeBytesPerResponse) / 1024 ** 3;
  return (
    prices.requestUsdPerMillion / 1e6 +
    gbSeconds * prices.gbSecondUsd[architecture] +
    streamedGb * prices.streamedUsdPerGb
  );
}

export interface CostLine {
  invocations: number;
  medianBilledMs: number;
  maxMemoryMb: number | undefined;
  memoryMb: number;
  usdPer1000: number;
}

/** A row's line from the REPORTs of its check's invocations: median billed, memory, $ per 1,000. */
export function costLine(
  reports: readonly Report[],
  architecture: Architecture,
  streamedBytes: number,
): CostLine | undefined {
  if (reports.length === 0) return undefined;
  const billed = reports.map((r) => r.billedMs).sort((a, b) => a - b);
  const medianBilledMs = billed[Math.floor((billed.length - 1) / 2)] ?? 0;
  const memoryMb = reports[0]?.memoryMb ?? 0;
  const used = reports.flatMap((r) => (r.maxMemoryMb === undefined ? [] : [r.maxMemoryMb]));
  return {
    invocations: reports.length,
    medianBilledMs,
    maxMemoryMb: used.length ? Math.max(...used) : undefined,
    memoryMb,
    usdPer1000: 1000 * requestCostUsd({ billedMs: medianBilledMs, memoryMb }, architecture, streamedBytes),
  };
}

/** e.g. "billed 10,003 ms (median of 1), memory 67 of 128 MB, $0.0210 per 1,000 requests (arm64)". */
export function describeCost(line: CostLine, architecture: Architecture): string {
  const memory =
    line.maxMemoryMb === undefined ? `${line.memoryMb} MB` : `${line.maxMemoryMb} of ${line.memoryMb} MB`;
  return `billed ${line.medianBilledMs.toLocaleString("en-US")} ms (median of ${line.invocations}), memory ${memory}, $${line.usdPer1000.toFixed(4)} per 1,000 requests (${architecture}, list price ${LAMBDA_PRICES.readOn})`;
}
