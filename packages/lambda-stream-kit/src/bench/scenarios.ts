import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { LIMITS } from "../emulator/contract.js";
import { KIT_ROOT } from "../paths.js";
import { fetchOnce } from "../stream-check/measure.js";
import { download, startTarget, type Target, type TargetKind, treeRss } from "./targets.js";

export const BENCH_HANDLER = join(KIT_ROOT, "src/bench/handler.mjs");
const MiB = 1024 * 1024;

export interface BenchConfig {
  runs: number;
  kinds: TargetKind[];
  latency: { n: number; gapMs: number };
  throughputBytes: number;
  awsLimitsBytes: number;
  accuracy: { n: number; gapMs: number };
  concurrency: { clients: number; intervalMs: number };
}

export const FULL: BenchConfig = {
  runs: 5,
  kinds: ["baseline", "ric", "builtin"],
  latency: { n: 1000, gapMs: 5 },
  throughputBytes: 200 * 1000 * 1000,
  awsLimitsBytes: 20 * 1000 * 1000,
  accuracy: { n: 10, gapMs: 200 },
  concurrency: { clients: 100, intervalMs: 100 },
};

/** A seconds-long pass over every scenario: proves the harness, measures nothing worth quoting. */
export const SMOKE: BenchConfig = {
  runs: 1,
  kinds: ["baseline", "builtin"],
  latency: { n: 40, gapMs: 5 },
  throughputBytes: 8 * MiB,
  awsLimitsBytes: 7 * MiB,
  accuracy: { n: 4, gapMs: 100 },
  concurrency: { clients: 5, intervalMs: 50 },
};

export function quantile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const at = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[at] as number;
}
export const median = (values: number[]) => quantile(values, 0.5);

/** Least-squares slope of bytes per second over (epoch ms, bytes) samples. */
export function slope(points: { at: number; bytes: number }[]): number {
  const n = points.length;
  if (n < 2) return Number.NaN;
  const mx = points.reduce((sum, p) => sum + p.at, 0) / n;
  const my = points.reduce((sum, p) => sum + p.bytes, 0) / n;
  const sxy = points.reduce((sum, p) => sum + (p.at - mx) * (p.bytes - my), 0);
  const sxx = points.reduce((sum, p) => sum + (p.at - mx) ** 2, 0);
  return (sxy / sxx) * 1000;
}

/** One measured value per target per run; the table reports the median across runs and the spread. */
export type Samples = Partial<Record<TargetKind, number[]>>;

export interface Row {
  scenario: string;
  metric: string;
  unit: string;
  samples: Samples;
  /** Which way is better, for the ratio column. */
  ratio?: boolean;
  target?: { text: string; met: (summary: Partial<Record<TargetKind, number>>) => boolean | undefined };
}

async function withTarget<T>(
  kind: TargetKind,
  file: string,
  options: Parameters<typeof startTarget>[2],
  fn: (t: Target) => Promise<T>,
) {
  const target = await startTarget(kind, file, options);
  try {
    return await fn(target);
  } finally {
    await target.stop();
  }
}

function push(samples: Samples, kind: TargetKind, value: number) {
  samples[kind] = [...(samples[kind] ?? []), value];
}

/**
 * 1. Added latency from a handler's write to the client's read, at a steady trickle. Beside
 * the baseline (one process, one socket hop) it measures the two-hop relay (the baseline's
 * process behind a bare relay process): the emulator has that process boundary by design
 * (runtime client -> Runtime API -> Function URL), and profiling one write's path showed the
 * boundary's wake-up, not the emulator's code, is where the time goes.
 */
export async function latencyScenario(config: BenchConfig, log: (line: string) => void): Promise<Row[]> {
  const medians: Samples = {};
  const p99s: Samples = {};
  const kinds: TargetKind[] = config.kinds.includes("baseline") ? ["relay", ...config.kinds] : config.kinds;
  for (const kind of kinds) {
    await withTarget(kind, BENCH_HANDLER, {}, async (target) => {
      await download(`${target.url}ticks?n=2&gap=1`); // warm instance: no cold start in the figures
      for (let run = 0; run < config.runs; run++) {
        const result = await download(
          `${target.url}ticks?n=${config.latency.n}&gap=${config.latency.gapMs}`,
          { keepLines: true },
        );
        const latencies = result.lines.map((line) => line.at - Number(line.text.split(" ")[1]));
        push(medians, kind, median(latencies));
        push(p99s, kind, quantile(latencies, 0.99));
        log(
          `latency ${kind} run ${run + 1}: median ${median(latencies).toFixed(3)} ms, p99 ${quantile(latencies, 0.99).toFixed(3)} ms`,
        );
      }
    });
  }
  const addedP99 = (s: Partial<Record<TargetKind, number>>) =>
    ["ric", "builtin"].every(
      (k) => s[k as TargetKind] === undefined || (s[k as TargetKind] as number) - (s.baseline ?? 0) <= 2,
    );
  // Against the two-hop relay: what the emulator adds over the process boundary itself.
  const ratioOk = (s: Partial<Record<TargetKind, number>>) =>
    ["ric", "builtin"].every(
      (k) =>
        s[k as TargetKind] === undefined ||
        (s[k as TargetKind] as number) / (s.relay ?? s.baseline ?? 1) <= 1.2,
    );
  return [
    {
      scenario: "1. write-to-client latency",
      metric: "median",
      unit: "ms",
      samples: medians,
      ratio: true,
      target: { text: "≤ 1.2 × the two-hop relay's median", met: ratioOk },
    },
    {
      scenario: "1. write-to-client latency",
      metric: "p99",
      unit: "ms",
      samples: p99s,
      ratio: true,
      target: { text: "p99 ≤ baseline + 2 ms", met: addedP99 },
    },
  ];
}

/** 2. Throughput and memory for a 200 MB stream in 64 KiB writes (no AWS limits). */
export async function throughputScenario(config: BenchConfig, log: (line: string) => void): Promise<Row[]> {
  const rates: Samples = {};
  const rssGrowth: Samples = {};
  for (const kind of config.kinds) {
    await withTarget(kind, BENCH_HANDLER, {}, async (target) => {
      await download(`${target.url}bulk?bytes=65536`);
      for (let run = 0; run < config.runs; run++) {
        const before = treeRss(target.pid);
        let peak = before;
        const sampler = setInterval(() => {
          peak = Math.max(peak, treeRss(target.pid));
        }, 50);
        const result = await download(`${target.url}bulk?bytes=${config.throughputBytes}&chunk=65536`);
        clearInterval(sampler);
        peak = Math.max(peak, treeRss(target.pid));
        const mbps = result.bytes / 1e6 / ((result.endedAt - result.startedAt) / 1000);
        push(rates, kind, mbps);
        push(rssGrowth, kind, (peak - before) / MiB);
        log(
          `throughput ${kind} run ${run + 1}: ${mbps.toFixed(0)} MB/s, RSS growth ${((peak - before) / MiB).toFixed(1)} MiB`,
        );
      }
    });
  }
  const emulatorKinds = (s: Partial<Record<TargetKind, number>>) =>
    (["ric", "builtin"] as TargetKind[]).filter((k) => s[k] !== undefined);
  return [
    {
      scenario: "2. throughput (200 MB, 64 KiB writes)",
      metric: "rate",
      unit: "MB/s",
      samples: rates,
      ratio: true,
      target: {
        text: "≥ 0.8 × baseline",
        met: (s) => emulatorKinds(s).every((k) => (s[k] as number) >= 0.8 * (s.baseline ?? 0)),
      },
    },
    {
      scenario: "2. throughput (200 MB, 64 KiB writes)",
      metric: "peak RSS growth, all processes",
      unit: "MiB",
      samples: rssGrowth,
      target: {
        text: "emulator ≤ 64 MiB",
        met: (s) => emulatorKinds(s).every((k) => (s[k] as number) <= 64),
      },
    },
  ];
}

/** 3. The --aws-limits bandwidth model: 6 MiB at full speed, then 2 MiB/s. */
export async function awsLimitsScenario(config: BenchConfig, log: (line: string) => void): Promise<Row[]> {
  const rates: Samples = {};
  const burst: Samples = {};
  for (const kind of config.kinds.filter((k) => k !== "baseline")) {
    await withTarget(kind, BENCH_HANDLER, { awsLimits: true }, async (target) => {
      for (let run = 0; run < config.runs; run++) {
        const result = await download(`${target.url}bulk?bytes=${config.awsLimitsBytes}&chunk=65536`);
        const burstEnd =
          result.progress.find((p) => p.bytes >= LIMITS.streamBurstBytes) ?? result.progress[0];
        const seconds = (result.endedAt - (burstEnd?.at ?? result.startedAt)) / 1000;
        const rate = (result.bytes - (burstEnd?.bytes ?? 0)) / MiB / seconds;
        push(rates, kind, rate);
        push(burst, kind, (burstEnd?.at ?? result.startedAt) - result.startedAt);
        log(
          `aws limits ${kind} run ${run + 1}: burst in ${((burstEnd?.at ?? 0) - result.startedAt).toFixed(0)} ms, then ${rate.toFixed(3)} MiB/s`,
        );
      }
    });
  }
  const within = (s: Partial<Record<TargetKind, number>>) =>
    (["ric", "builtin"] as TargetKind[])
      .filter((k) => s[k] !== undefined)
      .every((k) => Math.abs((s[k] as number) - 2) <= 0.1);
  return [
    { scenario: "3. --aws-limits bandwidth", metric: "first 6 MiB took", unit: "ms", samples: burst },
    {
      scenario: "3. --aws-limits bandwidth",
      metric: "rate after the burst",
      unit: "MiB/s",
      samples: rates,
      target: { text: "2 MiB/s ± 5 %", met: within },
    },
  ];
}

/** 4. How exactly the stream check (zx + curl -N) measures gaps the server knows precisely. */
export async function accuracyScenario(config: BenchConfig, log: (line: string) => void): Promise<Row[]> {
  const maxError: Samples = {};
  const startup: Samples = {};
  await withTarget("baseline", BENCH_HANDLER, {}, async (target) => {
    for (let run = 0; run < config.runs; run++) {
      const attempt = await fetchOnce(
        `${target.url}ticks?n=${config.accuracy.n}&gap=${config.accuracy.gapMs}`,
        { maxTimeS: 60 },
      );
      const written = attempt.arrivals.map((a) => Number(a.bytes.toString().split(" ")[1]));
      const errors = attempt.arrivals
        .slice(1)
        .map((a, i) =>
          Math.abs(a.atMs - (attempt.arrivals[i]?.atMs ?? 0) - ((written[i + 1] ?? 0) - (written[i] ?? 0))),
        );
      push(maxError, "baseline", Math.max(...errors));
      const started = performance.now();
      spawnSync(process.execPath, ["--import", "tsx", join(KIT_ROOT, "bin/check-stream.mjs"), "--help"], {
        cwd: KIT_ROOT,
      });
      push(startup, "baseline", performance.now() - started);
      log(`accuracy run ${run + 1}: max gap error ${Math.max(...errors).toFixed(2)} ms`);
    }
  });
  return [
    {
      scenario: "4. stream-check accuracy",
      metric: "max gap error (measured vs true)",
      unit: "ms",
      samples: maxError,
      target: { text: "≤ 5 ms", met: (s) => (s.baseline ?? Number.POSITIVE_INFINITY) <= 5 },
    },
    {
      scenario: "4. stream-check accuracy",
      metric: "check CLI start-up (--help)",
      unit: "ms",
      samples: startup,
    },
  ];
}

/** 5. Many clients of a paced handler at once (10 lines, one interval apart): all complete, cadence holds. */
export async function concurrencyScenario(config: BenchConfig, log: (line: string) => void): Promise<Row[]> {
  const gapErrorP99: Samples = {};
  const completed: Samples = {};
  const { clients, intervalMs } = config.concurrency;
  for (const kind of config.kinds) {
    await withTarget(kind, BENCH_HANDLER, {}, async (target) => {
      for (let run = 0; run < config.runs; run++) {
        const results = await Promise.all(
          Array.from({ length: clients }, () =>
            download(`${target.url}ticks?n=10&gap=${intervalMs}`, { keepLines: true }),
          ),
        );
        const errors = results.flatMap((r) =>
          r.lines.slice(1).map((line, i) => Math.abs(line.at - (r.lines[i]?.at ?? 0) - intervalMs)),
        );
        const done = results.filter((r) => r.status === 200 && r.lines.length === 10).length;
        push(gapErrorP99, kind, quantile(errors, 0.99));
        push(completed, kind, done);
        log(
          `concurrency ${kind} run ${run + 1}: ${done}/${clients} complete, gap error p99 ${quantile(errors, 0.99).toFixed(1)} ms`,
        );
      }
    });
  }
  const emulatorKinds = (s: Partial<Record<TargetKind, number>>) =>
    (["ric", "builtin"] as TargetKind[]).filter((k) => s[k] !== undefined);
  return [
    {
      scenario: `5. ${clients} concurrent streams`,
      metric: "completed",
      unit: "clients",
      samples: completed,
      target: { text: `all ${clients}`, met: (s) => emulatorKinds(s).every((k) => s[k] === clients) },
    },
    {
      scenario: `5. ${clients} concurrent streams`,
      metric: "gap error p99",
      unit: "ms",
      samples: gapErrorP99,
      target: { text: "≤ 20 ms", met: (s) => emulatorKinds(s).every((k) => (s[k] as number) <= 20) },
    },
  ];
}
