// Lints every workflow offline: actionlint and GitHub's own workflow parser.
import { EXIT, parseFlags, runMain } from "../cli.js";
import type { ProjectInput } from "../project.js";
import { lintWorkflows, workflowFiles } from "../workflows/lint.js";

const USAGE =
  "usage: lambda-stream-lint-workflows   (actionlint and GitHub's parser over .github/workflows; no options)";

/** The command; `argv` without node and the script, `project` what the caller knows of it. */
export function main(argv: string[] = process.argv.slice(2), _project: ProjectInput = {}): Promise<void> {
  return runMain("lint-workflows", async () => {
    parseFlags(argv, {}, USAGE);
    const files = workflowFiles();
    const findings = await lintWorkflows(files);
    for (const f of findings) console.log(`${f.file}:${f.line}:${f.column}: ${f.tool}: ${f.message}`);
    console.log(`${files.length} workflows, ${findings.length} findings`);
    return findings.length === 0 ? EXIT.ok : EXIT.failed;
  });
}
