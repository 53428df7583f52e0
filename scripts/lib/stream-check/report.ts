import type { CheckResult } from "./check.js";
import { describeExpectations } from "./evaluate.js";
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
export function verdictText(results: readonly CheckResult[], colour = false): string {
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
    if (result.attempts.length > 1)
      out.push(`  (${result.attempts.length} attempts before the final answer)`);
  }
  const word = verdictWord(results);
  out.push(`\nstream check: ${paint(colour, word === "PASSED" ? 32 : 31, word)}`);
  return out.join("\n");
}

export function toJson(results: readonly CheckResult[]) {
  return {
    verdict: verdictWord(results).toLowerCase(),
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
      })),
      curl: result.final.curl,
      assertions: result.assertions,
    })),
  };
}

const escapeCell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** Markdown for PR comments and job summaries: a table per URL and a Mermaid chart of arrival times. */
export function toMarkdown(results: readonly CheckResult[]): string {
  const out: string[] = [
    `### Stream check: ${verdictWord(results) === "PASSED" ? "✅ passed" : "❌ failed"}`,
    "",
  ];
  for (const result of results) {
    out.push(
      `**${result.target.label}** \`${result.target.url}\` — expecting ${describeExpectations(result.target.expect)}: ${result.passed ? "✅" : "❌"}`,
      "",
      "| | assertion | expected | measured |",
      "| --- | --- | --- | --- |",
      ...result.assertions.map(
        (a) =>
          `| ${a.passed ? "✅" : "❌"} | ${escapeCell(a.title)} | ${escapeCell(a.expected)} | ${escapeCell(a.actual)} |`,
      ),
      "",
      ...result.assertions.filter((a) => !a.passed).map((a) => `- ❌ ${escapeCell(a.reason ?? a.title)}`),
      "",
    );
  }
  const chart = arrivalChart(results);
  if (chart) out.push(chart, "");
  return out.join("\n");
}

/** A Mermaid xychart-beta (GitHub renders it) of when each sentence arrived, one series per URL. */
export function arrivalChart(results: readonly CheckResult[]): string | undefined {
  const series = results.filter((r) => r.final.arrivals.length > 0);
  if (series.length === 0) return undefined;
  const count = Math.max(...series.map((r) => r.final.arrivals.length));
  const top = Math.max(...series.flatMap((r) => r.final.arrivals.map((a) => a.atMs)));
  const legend = series.map((r, i) => `${i === 0 ? "line" : "bars"}: ${r.target.label}`).join(", ");
  const lines = [
    "```mermaid",
    "xychart-beta",
    `  title "Sentence arrival, ms after the request (${legend})"`,
    `  x-axis "sentence" [${Array.from({ length: count }, (_, i) => i + 1).join(", ")}]`,
    `  y-axis "ms" 0 --> ${Math.ceil((top * 1.05) / 100) * 100 || 100}`,
  ];
  series.forEach((result, i) => {
    const values = result.final.arrivals.map((a) => Math.round(a.atMs)).join(", ");
    lines.push(`  ${i === 0 ? "line" : "bar"} [${values}]`);
  });
  lines.push("```");
  return lines.join("\n");
}
