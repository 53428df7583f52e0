// The post-deploy stream check: curls a Function URL and proves the sentences stream
// about one interval apart (or, with --expect buffered, that they do not).
import { runMain } from "./lib/cli.js";
import { defaultCheckIo, parseCheckArgs, runCheck } from "./lib/stream-check/run.js";

await runMain("check-stream", async () => {
  const run = parseCheckArgs(process.argv.slice(2));
  return (await runCheck(run, defaultCheckIo())).code;
});
