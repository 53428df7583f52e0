import { maskAccountIds } from "../redact.js";

export interface PreviewCounts {
  create: number;
  update: number;
  replace: number;
  delete: number;
  unchanged: number;
}

// Pulumi colours its output when it thinks it may; a PR comment wants plain text.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI escape sequences is the point.
const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;

/** Change counts from the "Resources:" block that ends `pulumi preview`/`up` output. */
export function previewCounts(output: string): PreviewCounts {
  const text = output.replace(ANSI, "");
  const counts: PreviewCounts = { create: 0, update: 0, replace: 0, delete: 0, unchanged: 0 };
  for (const match of text.matchAll(/^\s*(?:\+-|[+~-])\s*(\d+) to (create|update|replace|delete)\b/gm)) {
    counts[match[2] as keyof PreviewCounts] += Number(match[1]);
  }
  const unchanged = /(\d+) unchanged/.exec(text);
  if (unchanged) counts.unchanged = Number(unchanged[1]);
  return counts;
}

/** The preview section: counts in a table, the full output folded away. */
export function previewSection(output: string, footer: string): string {
  const counts = previewCounts(output);
  const changes = counts.create + counts.update + counts.replace + counts.delete;
  const fence = output.includes("```") ? "````" : "```";
  return [
    `### 🔍 Preview: ${changes === 0 ? "no changes" : `${changes} change${changes === 1 ? "" : "s"}`}`,
    "",
    "| to create | to update | to replace | to delete | unchanged |",
    "| ---: | ---: | ---: | ---: | ---: |",
    `| ${counts.create} | ${counts.update} | ${counts.replace} | ${counts.delete} | ${counts.unchanged} |`,
    "",
    "<details><summary>Full <code>pulumi preview</code> output</summary>",
    "",
    fence,
    maskAccountIds(output.replace(ANSI, "").trim()),
    fence,
    "",
    "</details>",
    "",
    footer,
  ].join("\n");
}
