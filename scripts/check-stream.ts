// The post-deploy stream check: curls a Function URL and proves the sentences stream
// about one interval apart (or, with --expect buffered, that they do not); with --invoke
// the AWS SDK reads the stream too, and with --browser a real Chrome/Chromium.
import { runMain } from "./lib/cli.js";
import { defaultCheckIo, parseCheckArgs, runCheck } from "./lib/stream-check/run.js";

await runMain("check-stream", async () => {
  const run = parseCheckArgs(process.argv.slice(2));
  if (!run.browser) return (await runCheck(run, defaultCheckIo())).code;
  // Loaded on use: playwright-core is only for --browser.
  const { browserTargets } = await import("./lib/browser-check.js");
  const browser = await browserTargets(run.targets, { env: process.env, browserPath: run.browser.path });
  try {
    return (await runCheck({ ...run, targets: browser.targets }, defaultCheckIo())).code;
  } finally {
    await browser.close();
  }
});
