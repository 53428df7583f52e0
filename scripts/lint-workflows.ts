// Lints every workflow offline: actionlint and GitHub's own workflow parser.
import { EXIT, runMain } from "./lib/cli.js";
import { lintWorkflows, workflowFiles } from "./lib/workflows/lint.js";

await runMain("lint-workflows", async () => {
  const files = workflowFiles();
  const findings = await lintWorkflows(files);
  for (const f of findings) console.log(`${f.file}:${f.line}:${f.column}: ${f.tool}: ${f.message}`);
  console.log(`${files.length} workflows, ${findings.length} findings`);
  return findings.length === 0 ? EXIT.ok : EXIT.failed;
});
