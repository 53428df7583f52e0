// The local Function URL emulator's command line: `serve` one function, or `start` every
// function of lambda/functions.ts and check them (what `npm start` runs).
import { EXIT, runMain, UsageError } from "./lib/cli.js";
import { parseServeArgs, SERVE_USAGE } from "./lib/emulator/cli-options.js";
import { describeApi, type RunningFunction, serveFunction, serveLambdaApi } from "./lib/emulator/emulator.js";
import { parseStartArgs, runStart, START_USAGE } from "./lib/start.js";

function describe(fn: RunningFunction): string {
  return `${fn.name}: ${fn.invokeMode} at ${fn.url} (runtime client: ${fn.client.name}, ${fn.client.reason}; ${fn.node.summary})`;
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
}

await runMain("local", async () => {
  const [command, ...args] = process.argv.slice(2);
  if (command === "serve") {
    const options = parseServeArgs(args);
    const fn = await serveFunction(options);
    const api = await serveLambdaApi([fn], { host: options.host, port: options.apiPort }).catch(
      async (error) => {
        await fn.close();
        throw error;
      },
    );
    console.log(describe(fn));
    console.log(describeApi(api, [fn]));
    await untilSignal();
    await api.close();
    await fn.close();
    return EXIT.ok;
  }
  if (command === "start") {
    const options = parseStartArgs(args);
    return runStart(options, { untilSignal });
  }
  if (command === "--help" || command === "-h") {
    console.log(
      `${SERVE_USAGE}\n${START_USAGE}\n(each command's options: local.ts serve --help, local.ts start --help)`,
    );
    return EXIT.ok;
  }
  throw new UsageError(`expected a command, serve or start (see --help)`);
});
