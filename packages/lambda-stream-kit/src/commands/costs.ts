// Production's cost figures across runs: `record` adds the check's figures to this job's
// deployment; `base` prints the newest recorded ones as JSON, for a pull request's check.
//   lambda-stream-costs record --report reports/stream-check.json [--environment production] [--sha SHA]
//   lambda-stream-costs base [--environment production]
import { readFile } from "node:fs/promises";
import { EXIT, OperationalError, parseFlagsWithPositionals, runMain, UsageError } from "../cli.js";
import { githubFromEnv } from "../github/context.js";
import { latestCosts, recordCosts } from "../github/costs.js";
import type { ProjectInput } from "../project.js";

const USAGE =
  "usage: lambda-stream-costs record --report <stream-check.json> [--environment production] [--sha SHA] | base [--environment production]";

/** GitHub said no (a token without deployments access, a network failure): one line, exit 3. */
async function fromGitHub<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const e = error as Error & { status?: number };
    throw new OperationalError(
      `${what} failed (${e.status ? `GitHub answered ${e.status}: ` : ""}${e.message.split("\n")[0]}): the job needs "permissions: deployments: write" (record) or read (base)`,
    );
  }
}

/** The command; `argv` without node and the script, `project` what the caller knows of it. */
export function main(argv: string[] = process.argv.slice(2), _project: ProjectInput = {}): Promise<void> {
  return runMain("costs", async () => {
    const { values, positionals } = parseFlagsWithPositionals(
      argv,
      {
        report: { type: "string", description: "record: the check's --json report (its usdPer1000)" },
        environment: {
          type: "string",
          default: "production",
          description: "whose deployments hold the figures",
        },
        sha: {
          type: "string",
          default: process.env.GITHUB_SHA ?? "",
          description: "record: the commit deployed (env GITHUB_SHA)",
        },
      },
      USAGE,
    );
    const [command, ...rest] = positionals;
    if ((command !== "record" && command !== "base") || rest.length > 0) {
      throw new UsageError("expected one command, record or base (see --help)");
    }
    if (command === "base") {
      // Nothing recorded yet (a new repository) is an answer too: no figures to compare.
      const github = githubFromEnv();
      const figures = await fromGitHub("reading the recorded costs", () =>
        latestCosts(github, values.environment),
      );
      console.log(JSON.stringify(figures ?? {}));
      return EXIT.ok;
    }
    if (!values.report) throw new UsageError("record needs --report <the check's --json report>");
    if (!values.sha) throw new UsageError("record needs --sha or GITHUB_SHA (the commit deployed)");
    let report: { usdPer1000?: Record<string, number> };
    try {
      report = JSON.parse(await readFile(values.report, "utf8")) as typeof report;
    } catch (error) {
      throw new UsageError(`--report ${values.report}: ${(error as Error).message.split("\n")[0]}`);
    }
    if (!report.usdPer1000 || Object.keys(report.usdPer1000).length === 0) {
      console.log("costs: the report has no cost figures (was the check run with --logs?): nothing recorded");
      return EXIT.ok;
    }
    const github = githubFromEnv();
    const figures = report.usdPer1000;
    const recorded = await fromGitHub("recording the costs", () =>
      recordCosts(github, values.environment, values.sha, figures),
    );
    console.log(
      recorded
        ? `costs: recorded on deployment ${recorded.deploymentId}: ${recorded.description}`
        : `costs: no ${values.environment} deployment for ${values.sha}: nothing recorded`,
    );
    return EXIT.ok;
  });
}
