// The local Function URL emulator's command line: `serve` one function, or `start` every
// function of the function table and check them (what `npm start` runs).
import { EXIT, runMain, UsageError } from "../cli.js";
import { parseServeArgs, SERVE_USAGE } from "../emulator/cli-options.js";
import { describeApi, type RunningFunction, serveFunction, serveLambdaApi } from "../emulator/emulator.js";
import { functionsOf, type ProjectInput } from "../project.js";
import { parseStartArgs, runStart, START_USAGE } from "../start.js";

function describe(fn: RunningFunction): string {
  return `${fn.name}: ${fn.invokeMode} at ${fn.url} (runtime client: ${fn.client.name}, ${fn.client.reason}; ${fn.node.summary})`;
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
}

/** The command; `argv` without node and the script, `project` what the caller knows of it. */
export function main(argv: string[] = process.argv.slice(2), project: ProjectInput = {}): Promise<void> {
  return runMain("local", async () => {
    const [command, ...args] = argv;
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
      const functions = await functionsOf(project);
      return runStart(parseStartArgs(args, functions), { untilSignal }, functions);
    }
    if (command === "--help" || command === "-h") {
      console.log(
        `${SERVE_USAGE}\n${START_USAGE}\n(each command's options: local.ts serve --help, local.ts start --help)`,
      );
      return EXIT.ok;
    }
    throw new UsageError(`expected a command, serve or start (see --help)`);
  });
}
