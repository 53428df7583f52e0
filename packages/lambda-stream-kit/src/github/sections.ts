import { UsageError } from "../cli.js";
import type { FunctionSpec } from "../functions.js";
import { previewSection } from "./preview.js";
import type { SectionName } from "./sticky-comment.js";

export interface SectionInput {
  footer: string;
  pulumiOutput?: string | undefined;
  markdown?: string | undefined;
  status?: string | undefined;
  /** The stack's `urls` output: function row name to URL. */
  urls?: Record<string, string> | undefined;
  /** The stack's `restApiUrls` output: row name to its REST API door's URL. */
  restApiUrls?: Record<string, string> | undefined;
  /** The table, to say each URL's invoke mode. */
  functions: readonly FunctionSpec[];
}

// A step's `outcome`, passed straight through by the workflow.
const DEPLOY_STATUSES = ["success", "failure", "cancelled"];
const PREVIEW_STATUSES = ["success", "failure", "cancelled", "skipped"];
const TEARDOWN_STATUSES = ["destroyed", "already-gone", "kept", "failure"];

function status(section: SectionName, value: string | undefined, allowed: string[]): string {
  if (!value || !allowed.includes(value)) {
    throw new UsageError(
      `${section} needs --status ${allowed.join("|")}, got ${JSON.stringify(value ?? "")}`,
    );
  }
  return value;
}

/**
 * The markdown each stage writes into its own section of the sticky comment, or undefined
 * when the stage has nothing true to say and the section stays as it was.
 */
export function renderSection(section: SectionName, input: SectionInput): string | undefined {
  switch (section) {
    case "preview": {
      const outcome = status(section, input.status, PREVIEW_STATUSES);
      // pulumi/actions sets its `output` only when the command succeeds (src/main.ts): an
      // empty output after a failure is not "no changes".
      if (outcome === "cancelled" || outcome === "skipped") return undefined;
      if (outcome === "failure") {
        return [
          "### 🔍 Preview: ❌ failed",
          "",
          "`pulumi preview` failed, so nothing was deployed; the error is in the workflow run's log.",
          "",
          input.footer,
        ].join("\n");
      }
      return previewSection(input.pulumiOutput ?? "", input.footer);
    }
    case "deploy": {
      const outcome = status(section, input.status, DEPLOY_STATUSES);
      const headline = { success: "✅ deployed", failure: "❌ failed", cancelled: "⚠️ cancelled" }[outcome];
      const functions = input.functions;
      const entries = Object.entries(input.urls ?? {});
      const firstStreamed = entries.find(
        ([name]) => functions.find((fn) => fn.name === name)?.invokeMode === "RESPONSE_STREAM",
      );
      const urls = entries.length
        ? [
            "",
            "| function | door | URL | invoke mode |",
            "| --- | --- | --- | --- |",
            ...entries.flatMap(([name, url]) => {
              const mode = functions.find((fn) => fn.name === name)?.invokeMode ?? "?";
              const rest = input.restApiUrls?.[name];
              return [
                `| ${name} | Function URL | ${url} | ${mode} |`,
                ...(rest ? [`| ${name} | REST API | ${rest} | streamed (STREAM) |`] : []),
              ];
            }),
            ...(firstStreamed ? ["", `Try it: \`curl -N ${firstStreamed[1]}\``] : []),
          ]
        : [];
      return [`### 🚀 Deploy: ${headline}`, ...urls, "", input.footer].join("\n");
    }
    case "check":
      return [input.markdown?.trim() ?? "", "", input.footer].join("\n");
    case "teardown": {
      const value = status(section, input.status, TEARDOWN_STATUSES);
      const text =
        value === "failure"
          ? "❌ teardown failed: the stack and its state are kept; see the run, then re-run the Teardown workflow"
          : value === "destroyed"
            ? "🗑️ stack destroyed and removed: nothing is left in the cloud"
            : value === "kept"
              ? "🔗 stack kept: another open pull request deploys from the same branch; it goes when the last one closes or the branch is deleted"
              : "🗑️ stack gone: nothing is left in the cloud (destroyed before, or never deployed)";
      return [`### Teardown: ${text}`, "", input.footer].join("\n");
    }
  }
}
