// The post-deploy stream check: curls a Function URL and proves the sentences stream
// about one interval apart (or, with --expect buffered, that they do not).
import { EXIT, runMain } from "./lib/cli.js";
import { CHECK_USAGE, defaultCheckIo, parseCheckArgs, runCheck } from "./lib/stream-check/run.js";

await runMain("check-stream", async () => {
  const run = parseCheckArgs(process.argv.slice(2));
  if (run === "help") {
    console.log(CHECK_USAGE);
    return EXIT.ok;
  }
  return (await runCheck(run, defaultCheckIo())).code;
});
