// Lints every workflow offline: actionlint and GitHub's own workflow parser.
import { EXIT, parseFlags, runMain } from "./lib/cli.js";
import { lintWorkflows, workflowFiles } from "./lib/workflows/lint.js";

const USAGE =
  "usage: tsx scripts/lint-workflows.ts   (actionlint and GitHub's parser over .github/workflows; no options)";

await runMain("lint-workflows", async () => {
  parseFlags(process.argv.slice(2), {}, USAGE);
  const files = workflowFiles();
  const findings = await lintWorkflows(files);
  for (const f of findings) console.log(`${f.file}:${f.line}:${f.column}: ${f.tool}: ${f.message}`);
  console.log(`${files.length} workflows, ${findings.length} findings`);
  return findings.length === 0 ? EXIT.ok : EXIT.failed;
});
