import type { CheckResult } from "./check.js";
import { deliveryLine, readsOf } from "./delivery.js";
import { describeExpectations } from "./evaluate.js";
import type { LogExtras } from "./logs.js";
import type { Arrival } from "./measure.js";

const BAR_WIDTH = 20;

/**
 * One live line as a sentence arrives: index, ms since request, gap, a bar scaled to the
 * interval (full width at twice it, ending in ▸ beyond), and as much of the sentence as the
 * terminal's width leaves (80 columns when it is not a terminal).
 */
export function progressLine(
  label: string,
  index: number,
  arrival: Arrival,
  previousAtMs: number | undefined,
  intervalMs: number,
  columns = 80,
) {
  const gap = previousAtMs === undefined ? undefined : arrival.atMs - previousAtMs;
  const scale = intervalMs > 0 ? intervalMs : 1000;
  const cells = gap === undefined ? 0 : Math.round((gap / scale) * (BAR_WIDTH / 2));
  const bar = cells > BAR_WIDTH ? `${"█".repeat(BAR_WIDTH - 1)}▸` : "█".repeat(cells);
  const prefix = [
    // The caller pads every label of a run to one width; short ones still align here.
    label.padEnd(9),
    `#${String(index + 1).padStart(2)}`,
    `${Math.round(arrival.atMs).toString().padStart(6)} ms`,
    gap === undefined ? "         " : `+${Math.round(gap).toString().padStart(5)} ms`,
    bar.padEnd(BAR_WIDTH),
  ].join("  ");
  const room = Math.max(8, columns - prefix.length - 2);
  const text = arrival.bytes.toString("utf8");
  return `${prefix}  ${text.length > room ? `${text.slice(0, room - 1)}…` : text}`;
}

/** Colour for ok and FAIL on a terminal, unless NO_COLOR is set (no-color.org). */
export function useColour(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  return Boolean(stream.isTTY) && !env.NO_COLOR;
}
const paint = (on: boolean, code: number, text: string) => (on ? `\u001b[${code}m${text}\u001b[0m` : text);

export function verdictWord(results: readonly CheckResult[]): "PASSED" | "FAILED" {
  return results.every((r) => r.passed) ? "PASSED" : "FAILED";
}

/** The terminal verdict: measured vs expected per check, then each failure's reason. */
export function verdictText(results: readonly CheckResult[], colour = false, extras?: LogExtras): string {
  const out: string[] = [];
  for (const result of results) {
    out.push(
      `\n${result.target.label} (${result.target.url}), expecting ${describeExpectations(result.target.expect)}: ${result.passed ? "PASSED" : "FAILED"}`,
    );
    const rows = result.assertions.map((a) => [a.passed ? "ok" : "FAIL", a.title, a.expected, a.actual]);
    const widths = [4, 24, 32].map((w, i) => Math.max(w, ...rows.map((r) => (r[i] ?? "").length)));
    for (const row of rows) {
      const cells = row.map((cell, i) => (i < 3 ? cell.padEnd(widths[i] ?? 0) : cell));
      cells[0] = paint(colour, row[0] === "ok" ? 32 : 31, cells[0] ?? "");
      out.push(`  ${cells.join("  ")}`);
    }
    for (const failed of result.assertions.filter((a) => !a.passed)) out.push(`  ✗ ${failed.reason}`);
    for (const noted of result.assertions.filter((a) => a.passed && a.note)) out.push(`  ℹ ${noted.note}`);
    out.push(
      `  delivery: ${deliveryLine(result.target.label, result.delivery).slice(result.target.label.length + 2)}`,
    );
    if (result.attempts.length > 1)
      out.push(`  (${result.attempts.length} attempts before the final answer)`);
  }
  for (const logs of extras?.logs ?? []) {
    out.push(
      `\n${logs.label}: log lines of request ${logs.requestId || "?"} (${logs.logGroup})${logs.note ? `: ${logs.note}` : ""}`,
    );
    for (const line of logs.lines) out.push(`  | ${line}`);
  }
  if (extras?.costs.length) {
    out.push(
      "\nCost of the check's invocations (their REPORT lines):",
      ...extras.costs.map((line) => `  ${line}`),
    );
  }
  const word = verdictWord(results);
  out.push(`\nstream check: ${paint(colour, word === "PASSED" ? 32 : 31, word)}`);
  return out.join("\n");
}

export function toJson(results: readonly CheckResult[], extras?: LogExtras) {
  return {
    verdict: verdictWord(results).toLowerCase(),
    // Dollars per 1,000 requests by row, from the REPORT lines (with --logs): what a production
    // check records for later pull requests (lambda-stream-costs).
    ...(extras ? { usdPer1000: extras.usdPer1000 } : {}),
    checks: results.map((result) => ({
      label: result.target.label,
      url: result.target.url,
      expect: result.target.expect,
      expecting: describeExpectations(result.target.expect),
      passed: result.passed,
      settings: { ...result.settings, sentences: result.settings.sentences.length },
      attempts: result.attempts,
      firstByteMs: result.final.firstByteMs ?? null,
      arrivals: result.final.arrivals.map((arrival, index, all) => ({
        index: index + 1,
        atMs: Math.round(arrival.atMs * 10) / 10,
        gapMs: index === 0 ? null : Math.round((arrival.atMs - (all[index - 1]?.atMs ?? 0)) * 10) / 10,
        bytes: arrival.bytes.length,
        read: arrival.read,
      })),
      reads: readsOf(result.final).map((read) => ({
        atMs: Math.round(read.atMs * 10) / 10,
        bytes: read.bytes,
      })),
      delivery: result.delivery,
      curl: result.final.curl,
      assertions: result.assertions,
    })),
  };
}

const escapeCell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** Seconds with one decimal. */
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * One line a reviewer reads at a glance: for expected lines, how many, gaps and first byte
 * (paced) or when it all came (buffered); for other rows, lines and timing; for a
 * failure, its first cause.
 */
export function summaryLine(result: CheckResult): string {
  const { arrivals, firstByteMs } = result.final;
  const mark = result.passed ? "✅" : "❌";
  const label = result.target.label;
  if (!result.passed) {
    const cause = result.assertions.find((a) => !a.passed);
    return `${mark} ${label}: ${cause?.reason ?? cause?.title ?? "failed"}`;
  }
  const times = arrivals.map((a) => a.atMs);
  const gaps = times.slice(1).map((t, i) => t - (times[i] ?? 0));
  const first = Math.round(firstByteMs ?? times[0] ?? 0);
  const strict = result.target.expect.lines;
  if (strict?.arrive === "together") return `${mark} ${label}: all at once after ${seconds(times[0] ?? 0)}`;
  const range =
    gaps.length > 0 ? `gaps ${Math.round(Math.min(...gaps))}–${Math.round(Math.max(...gaps))} ms, ` : "";
  const count = strict
    ? `${arrivals.length}/${result.settings.sentences.length} lines`
    : `${arrivals.length} lines`;
  return `${mark} ${label}: ${count}, ${range}first byte ${first} ms`;
}

function assertionTable(result: CheckResult): string[] {
  return [
    `**${result.target.label}** \`${result.target.url}\` — expecting ${describeExpectations(result.target.expect)}: ${result.passed ? "✅" : "❌"}`,
    "",
    "| | assertion | expected | measured |",
    "| --- | --- | --- | --- |",
    ...result.assertions.map(
      (a) =>
        `| ${a.passed ? "✅" : "❌"} | ${escapeCell(a.title)} | ${escapeCell(a.expected)} | ${escapeCell(a.actual)} |`,
    ),
    "",
  ];
}

/**
 * Markdown for PR comments and job summaries: one summary line per URL, then (when it
 * failed) the failing rows and their causes, then the chart, then every assertion folded
 * in <details>, so a passing check reads in three lines.
 */
export function toMarkdown(results: readonly CheckResult[], extras?: LogExtras): string {
  const passed = verdictWord(results) === "PASSED";
  const out: string[] = [
    `### Stream check: ${passed ? "✅ passed" : "❌ failed"}`,
    "",
    results.map(summaryLine).join(" · "),
    "",
  ];
  for (const result of results.filter((r) => !r.passed)) {
    const failing = result.assertions.filter((a) => !a.passed);
    out.push(
      `**${result.target.label}** \`${result.target.url}\``,
      "",
      "| | assertion | expected | measured |",
      "| --- | --- | --- | --- |",
      ...failing.map(
        (a) => `| ❌ | ${escapeCell(a.title)} | ${escapeCell(a.expected)} | ${escapeCell(a.actual)} |`,
      ),
      "",
      ...failing.map((a) => `- ❌ ${escapeCell(a.reason ?? a.title)}`),
      "",
      ...logsMarkdown(extras?.logs.filter((logs) => logs.label === result.target.label) ?? []),
    );
  }
  if (extras?.costs.length) {
    out.push(
      "Cost of the check's invocations (their `REPORT` lines):",
      "",
      ...extras.costs.map((line) => `- ${escapeCell(line)}`),
      "",
    );
  }
  // One line per door: what the first real deploy settles that no AWS document does.
  out.push(
    'Delivery observed (how the bytes came: see README, "Small writes"):',
    "",
    ...results.map((r) => `- ${escapeCell(deliveryLine(r.target.label, r.delivery))}`),
    ...results.flatMap((r) =>
      r.assertions
        .filter((a) => a.passed && a.note)
        .map((a) => `- ℹ️ ${r.target.label}: ${escapeCell(a.note ?? "")}`),
    ),
    "",
  );
  const chart = arrivalChart(results);
  if (chart) out.push(chart, "");
  out.push(
    "<details><summary>Every assertion, per URL</summary>",
    "",
    ...results.flatMap(assertionTable),
    "</details>",
    "",
  );
  return out.join("\n");
}

/** A failing request's own log lines, folded away, with its log group and CloudWatch's page of it. */
function logsMarkdown(all: readonly LogExtras["logs"][number][]): string[] {
  return all.flatMap((logs) => {
    const fence = logs.lines.some((line) => line.includes("```")) ? "````" : "```";
    const where = `[\`${logs.logGroup}\`](${logs.consoleUrl})`;
    if (logs.lines.length === 0)
      return [
        `Log lines of request \`${logs.requestId || "?"}\` in ${where}: none (${logs.note ?? "no lines yet"})`,
        "",
      ];
    return [
      `<details><summary>Log lines of request <code>${logs.requestId}</code> (${logs.lines.length}${logs.note ? `; ${escapeCell(logs.note)}` : ""})</summary>`,
      "",
      `From ${where}:`,
      "",
      fence,
      ...logs.lines,
      fence,
      "",
      "</details>",
      "",
    ];
  });
}

/**
 * Colours of the chart's plots, in the order they are drawn: the buffered bars pale, so
 * the streaming lines drawn over them stand out (GitHub's palette, light and dark themes).
 */
export const CHART_BAR_COLOURS = ["#d0d7de", "#eaeef2"];
export const CHART_LINE_COLOURS = ["#0969da", "#bc4c00", "#8250df", "#1a7f37"];

/**
 * A Mermaid xychart-beta (GitHub renders it) of when each line arrived. Buffered answers
 * are bars, drawn first; streamed ones are lines, drawn after, on top: a staircase of
 * arrivals against a wall of equal bars. The palette comes in the diagram's front matter
 * (mermaid's xyChart plotColorPalette), one colour per plot in drawing order.
 */
export function arrivalChart(results: readonly CheckResult[]): string | undefined {
  const plotted = results.filter((r) => r.final.arrivals.length > 0);
  if (plotted.length === 0) return undefined;
  const bars = plotted.filter((r) => r.target.expect.lines?.arrive === "together");
  const lines = plotted.filter((r) => r.target.expect.lines?.arrive !== "together");
  const count = Math.max(...plotted.map((r) => r.final.arrivals.length));
  const top = Math.max(...plotted.flatMap((r) => r.final.arrivals.map((a) => a.atMs)));
  const palette = [
    ...bars.map((_, i) => CHART_BAR_COLOURS[i % CHART_BAR_COLOURS.length]),
    ...lines.map((_, i) => CHART_LINE_COLOURS[i % CHART_LINE_COLOURS.length]),
  ];
  const legend = [
    bars.length > 0 ? `bars: ${bars.map((r) => r.target.label).join(", ")}` : "",
    lines.length > 0 ? `lines: ${lines.map((r) => r.target.label).join(", ")}` : "",
  ]
    .filter(Boolean)
    .join(" · ");
  const values = (result: CheckResult) => result.final.arrivals.map((a) => Math.round(a.atMs)).join(", ");
  return [
    "```mermaid",
    "---",
    "config:",
    "  themeVariables:",
    "    xyChart:",
    `      plotColorPalette: "${palette.join(", ")}"`,
    "---",
    "xychart-beta",
    `  title "Arrival, ms after the request · ${legend}"`,
    `  x-axis "line" [${Array.from({ length: count }, (_, i) => i + 1).join(", ")}]`,
    `  y-axis "ms" 0 --> ${Math.ceil((top * 1.05) / 100) * 100 || 100}`,
    ...bars.map((r) => `  bar [${values(r)}]`),
    ...lines.map((r) => `  line [${values(r)}]`),
    "```",
  ].join("\n");
}
