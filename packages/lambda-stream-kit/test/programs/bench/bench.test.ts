import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { markdownTable, summarise } from "../../../src/bench/report.js";
import { median, quantile, type Row, slope } from "../../../src/bench/scenarios.js";
import { runScript } from "../../helpers/process.js";

describe("bench statistics", () => {
  it("computes nearest-rank quantiles and medians", () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(median(values)).toBe(50);
    expect(quantile(values, 0.99)).toBe(99);
    expect(quantile([5], 0.99)).toBe(5);
  });

  it("fits the slope of bytes over time (bytes per second)", () => {
    const points = Array.from({ length: 20 }, (_, i) => ({ at: 1000 + i * 100, bytes: 5000 + i * 200_000 }));
    expect(slope(points)).toBeCloseTo(2_000_000, 3);
  });

  it("reports medians, spreads, same-run ratios and whether each target was met", () => {
    const rows: Row[] = [
      {
        scenario: "s",
        metric: "m",
        unit: "ms",
        ratio: true,
        samples: { baseline: [1, 2, 3], builtin: [2, 4, 6] },
        target: { text: "ratio ≤ 1.2", met: (s) => (s.builtin ?? 0) / (s.baseline ?? 1) <= 1.2 },
      },
    ];
    const [summary] = summarise(rows);
    expect(summary).toMatchObject({
      median: { baseline: 2, builtin: 4 },
      spread: { baseline: [1, 3], builtin: [2, 6] },
      ratio: { builtin: 2 },
      met: false,
    });
    expect(markdownTable(summarise(rows), 3)).toContain(
      "| s | m | 2.000 ms (1.000–3.000) | – | – | 4.000 ms (2.000–6.000) | – | 2.000 | ratio ≤ 1.2 | ❌ missed |",
    );
  });
});

describe("npm run bench -- --smoke", () => {
  it("runs every scenario against the baseline and the emulator and writes its results", async () => {
    const out = mkdtempSync(join(tmpdir(), "bench-"));
    const run = await runScript("bench.ts", ["--smoke", "--out", out]);
    expect(run.status).toBe(0);
    const results = JSON.parse(readFileSync(join(out, "results.json"), "utf8"));
    const scenarios = new Set(results.summaries.map((s: { scenario: string }) => s.scenario.split(".")[0]));
    expect([...scenarios]).toEqual(["1", "2", "3", "4", "5"]);
    const latency = results.summaries.find((s: { metric: string }) => s.metric === "median");
    expect(latency.median.baseline).toBeGreaterThan(0);
    // The process boundary's own cost, measured beside them: the latency target's reference.
    expect(latency.median.relay).toBeGreaterThan(0);
    expect(latency.ratio.builtin).toBeGreaterThan(0);
    expect(readFileSync(join(out, "results.md"), "utf8")).toContain(
      "| 3. --aws-limits bandwidth | rate after the burst |",
    );
    expect(run.stdout).toContain("smoke mode: not figures to quote");
  }, 120_000);
});
