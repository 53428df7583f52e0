// The post-deploy stream check: curls every Function URL of a stack and judges each answer by
// its row's expectations (paced lines one interval apart, or all together at the end); with
// --invoke the AWS SDK reads the stream too, and with --browser a real Chrome/Chromium.
import { runMain } from "../cli.js";
import { functionsOf, type ProjectInput } from "../project.js";
import { defaultCheckIo, parseCheckArgs, runCheck } from "../stream-check/run.js";

/** The command; `argv` without node and the script, `project` what the caller knows of it. */
export function main(argv: string[] = process.argv.slice(2), project: ProjectInput = {}): Promise<void> {
  return runMain("check-stream", async () => {
    const run = parseCheckArgs(argv, await functionsOf(project));
    if (!run.browser) return (await runCheck(run, defaultCheckIo())).code;
    // Loaded on use: playwright-core is only for --browser.
    const { browserTargets } = await import("../browser-check.js");
    const browser = await browserTargets(run.targets, { env: process.env, browserPath: run.browser.path });
    try {
      return (await runCheck({ ...run, targets: browser.targets }, defaultCheckIo())).code;
    } finally {
      await browser.close();
    }
  });
}
