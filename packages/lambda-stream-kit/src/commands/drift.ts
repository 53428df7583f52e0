// The drift check's report: reads `pulumi preview --refresh --expect-no-changes`'s exit code
// and output, and opens, updates or closes the stack's drift issue.
//   lambda-stream-drift --stack production --exit-code N --pulumi-output <file>
import { readFile } from "node:fs/promises";
import { EXIT, integer, OperationalError, parseFlags, runMain, UsageError } from "../cli.js";
import { footer, githubFromEnv } from "../github/context.js";
import { classifyPreview, reconcileDriftIssue } from "../github/drift.js";
import { nameOf, type ProjectInput } from "../project.js";

const USAGE =
  "usage: lambda-stream-drift --stack S --exit-code N --pulumi-output <file>   (exit 0 clean, 1 drift, 3 no verdict)";

/** The command; `argv` without node and the script, `project` what the caller knows of it. */
export function main(argv: string[] = process.argv.slice(2), project: ProjectInput = {}): Promise<void> {
  return runMain("drift", async () => {
    const values = parseFlags(
      argv,
      {
        stack: { type: "string", description: "the stack previewed (required)" },
        "exit-code": { type: "string", description: "pulumi preview's exit code, 0 to 255 (required)" },
        "pulumi-output": { type: "string", description: "file holding pulumi preview's output (required)" },
      },
      USAGE,
    );
    if (!values.stack) throw new UsageError("--stack is required (see --help)");
    if (values["exit-code"] === undefined) throw new UsageError("--exit-code is required (see --help)");
    const exitCode = integer("exit-code", values["exit-code"], 0, 255);
    if (!values["pulumi-output"]) throw new UsageError("--pulumi-output is required (see --help)");
    const file = values["pulumi-output"];
    const output = await readFile(file, "utf8").catch(() => {
      throw new UsageError(`--pulumi-output ${file}: cannot read the file (did the preview step write it?)`);
    });
    const status = classifyPreview(exitCode, output);
    const github = githubFromEnv();
    const target = { owner: github.owner, repo: github.repo, project: nameOf(project), stack: values.stack };
    const result = await reconcileDriftIssue(
      github.octokit,
      target,
      status,
      output,
      footer(github.runUrl),
    ).catch((error: { status?: number }) => {
      if (error.status === 403 || error.status === 404)
        throw new OperationalError(
          `GitHub answered ${error.status} writing the drift issue: the job needs "permissions: issues: write"`,
        );
      throw error;
    });
    const said = result.number ? ` (issue #${result.number})` : "";
    if (status === "error")
      throw new OperationalError(
        `the preview failed without a verdict (exit ${exitCode}): see its output; the drift issue is left as it is`,
      );
    console.log(`drift check of ${values.stack}: ${status}, issue ${result.action}${said}`);
    return status === "drift" ? EXIT.failed : EXIT.ok;
  });
}
