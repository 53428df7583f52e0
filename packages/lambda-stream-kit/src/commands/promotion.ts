// Production's promotion decisions, for the deploy workflow's steps:
//   lambda-stream-promotion --stage candidate|live --passed true|false --previous-json J --candidate-json J
// Prints the decision's line; in GitHub Actions also writes `action`, `live-json` and `failed`
// to GITHUB_OUTPUT and the line to the step summary.
import { appendFile } from "node:fs/promises";
import { EXIT, parseFlags, runMain, UsageError } from "../cli.js";
import type { ProjectInput } from "../project.js";
import { decidePromotion, type PromotionStage, type Versions } from "../pulumi/promotion.js";

const USAGE =
  "usage: lambda-stream-promotion --stage candidate|live --passed true|false --previous-json '{\"<row>\":\"<version>\"}' --candidate-json '{...}' [--queued]";

function versions(flag: string, raw: string | undefined, optional = false): Versions | undefined {
  if (!raw?.trim() || raw.trim() === "{}") {
    if (optional) return undefined;
    throw new UsageError(
      `--${flag} is required: the stack's ${flag === "candidate-json" ? "candidateVersions" : "liveVersions"} output`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new UsageError(`--${flag} is not JSON: expected {"<row>":"<version>",...}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new UsageError(`--${flag}: expected an object of row to version`);
  return Object.fromEntries(Object.entries(value).map(([row, version]) => [row, String(version)]));
}

/** The command; `argv` without node and the script, `project` what the caller knows of it. */
export function main(argv: string[] = process.argv.slice(2), _project: ProjectInput = {}): Promise<void> {
  return runMain("promotion", async () => {
    const values = parseFlags(
      argv,
      {
        stage: {
          type: "string",
          description: "candidate (after its check) or live (after promotion's check)",
        },
        passed: { type: "string", description: "the check's verdict: true or false" },
        "previous-json": { type: "string", description: "what live served before this run (liveVersions)" },
        "candidate-json": {
          type: "string",
          description: "the versions this run published (candidateVersions)",
        },
        queued: {
          type: "boolean",
          default: false,
          description: "another production run waits behind this one",
        },
      },
      USAGE,
    );
    const stage = values.stage as PromotionStage;
    if (stage !== "candidate" && stage !== "live")
      throw new UsageError(`--stage ${JSON.stringify(values.stage ?? "")}: expected candidate or live`);
    if (values.passed !== "true" && values.passed !== "false")
      throw new UsageError(
        `--passed ${JSON.stringify(values.passed ?? "")}: expected true or false (the check step's outcome == 'success')`,
      );
    const decision = decidePromotion({
      stage,
      passed: values.passed === "true",
      previousLive: versions("previous-json", values["previous-json"], true),
      candidate: versions("candidate-json", values["candidate-json"]) as Versions,
      queued: values.queued,
    });
    console.log(`promotion: ${decision.message}`);
    if (process.env.GITHUB_OUTPUT)
      await appendFile(
        process.env.GITHUB_OUTPUT,
        `action=${decision.action}\nlive-json=${JSON.stringify(decision.live ?? {})}\nfailed=${decision.failed}\n`,
      );
    if (process.env.GITHUB_STEP_SUMMARY)
      await appendFile(process.env.GITHUB_STEP_SUMMARY, `- Production: ${decision.message}\n`);
    return EXIT.ok;
  });
}
