import { cpus, totalmem } from "node:os";
import { median, type Row } from "./scenarios.js";
import type { TargetKind } from "./targets.js";

const KINDS: TargetKind[] = ["baseline", "relay", "ric", "builtin"];

export interface Summary {
  scenario: string;
  metric: string;
  unit: string;
  /** Median across runs, per target. */
  median: Partial<Record<TargetKind, number>>;
  /** [min, max] of the runs, per target. */
  spread: Partial<Record<TargetKind, [number, number]>>;
  /** emulator / baseline, from medians measured in this same run. */
  ratio: Partial<Record<"ric" | "builtin", number>>;
  target?: string;
  met?: boolean;
}

export function summarise(rows: Row[]): Summary[] {
  return rows.map((row) => {
    const summary: Summary = {
      scenario: row.scenario,
      metric: row.metric,
      unit: row.unit,
      median: {},
      spread: {},
      ratio: {},
    };
    for (const kind of KINDS) {
      const values = row.samples[kind];
      if (!values?.length) continue;
      summary.median[kind] = median(values);
      summary.spread[kind] = [Math.min(...values), Math.max(...values)];
    }
    if (row.ratio && summary.median.baseline) {
      for (const kind of ["ric", "builtin"] as const) {
        const value = summary.median[kind];
        if (value !== undefined) summary.ratio[kind] = value / summary.median.baseline;
      }
    }
    if (row.target) {
      summary.target = row.target.text;
      const met = row.target.met(summary.median);
      if (met !== undefined) summary.met = met;
    }
    return summary;
  });
}

const fmt = (value: number | undefined) =>
  value === undefined || Number.isNaN(value)
    ? "–"
    : Math.abs(value) >= 100
      ? value.toFixed(0)
      : value.toFixed(value >= 10 ? 1 : 3);

export function machine(): string {
  return `${cpus().length} × ${cpus()[0]?.model.trim() ?? "CPU"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform}`;
}

const cellText = (text: string) => text.replace(/\|/g, "\\|");

export function markdownTable(summaries: Summary[], runs: number): string {
  const lines = [
    `Median of ${runs} run(s) (spread min–max in brackets); ratios are emulator ÷ baseline from this same run; the two-hop relay is the baseline behind a bare relay process (the emulator's process boundary, nothing else).`,
    "",
    "| scenario | metric | baseline | two-hop relay | emulator (RIC) | emulator (built-in) | ratio RIC | ratio built-in | target | met |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | :---: |",
  ];
  for (const s of summaries) {
    const cell = (kind: TargetKind) =>
      s.median[kind] === undefined
        ? "–"
        : `${fmt(s.median[kind])} ${s.unit} (${fmt(s.spread[kind]?.[0])}–${fmt(s.spread[kind]?.[1])})`;
    lines.push(
      `| ${cellText(s.scenario)} | ${cellText(s.metric)} | ${cell("baseline")} | ${cell("relay")} | ${cell("ric")} | ${cell("builtin")} | ${fmt(s.ratio.ric)} | ${fmt(s.ratio.builtin)} | ${s.target ?? ""} | ${s.met === undefined ? "" : s.met ? "✅" : "❌ missed"} |`,
    );
  }
  return lines.join("\n");
}
