import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { UsageError } from "../../src/cli.js";
import { INTERVAL_MS } from "../../src/contract.js";
import { parseServeArgs } from "../../src/emulator/cli-options.js";
import { serveFunction } from "../../src/emulator/emulator.js";
import { findBrowser, NO_BROWSER } from "../../src/page/browser.js";
import { parseStartArgs } from "../../src/start.js";
import { parseCheckArgs } from "../../src/stream-check/run.js";
import { occupiedPort } from "../helpers/http.js";
import { runScript } from "../helpers/process.js";
import { FUNCTIONS } from "../helpers/project.js";

// Every command's bad input: exit 2, one line naming the cause, no stack trace, before any
// work. Nothing here is timed, so the cases run side by side.
const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/handlers/${name}`, import.meta.url));

/** A usage error in this process: its type, its one-line message. */
async function expectRejectedInProcess(run: () => Promise<unknown> | unknown, message: RegExp) {
  let caught: unknown;
  try {
    await run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(UsageError);
  expect((caught as Error).message).toMatch(message);
  expect((caught as Error).message).not.toContain("\n");
}

function expectUsageError(run: { status: number | null; stderr: string; stdout: string }, message: RegExp) {
  expect(run.status, run.stderr).toBe(2);
  expect(run.stderr).toMatch(message);
  // One line naming the cause, no stack trace, and nothing served first.
  expect(run.stderr.trim().split("\n"), run.stderr).toHaveLength(1);
  expect(run.stdout).not.toMatch(/http:\/\/127\.0\.0\.1:\d+/);
}

describe("local.ts (the parser and the emulator's start, in this process)", () => {
  it.concurrent.each<[string[], RegExp]>([
    [["serve", "--handler", "missing.mjs"], /no such file .*missing\.mjs/],
    [
      ["serve", "--handler", `${fixture("streaming-router.mjs")}#nope`],
      /export "nope" not found \(the module exports handler\)/,
    ],
    [
      ["serve", "--invoke-mode", "STREAMING"],
      /--invoke-mode "STREAMING": expected RESPONSE_STREAM or BUFFERED/,
    ],
    [["serve", "--timeout", "0"], /--timeout "0": expected a whole number from 1 to 900/],
    [["serve", "--port", "-1"], /--port "-1": expected a whole number from 0 to 65535/],
    [["serve", "--env", "1BAD=x"], /--env "1BAD=x": expected KEY=VALUE/],
    [["serve", "--runtime", "docker"], /--runtime "docker": expected one of ric, builtin/],
    [["serve", "--colour"], /Unknown option '--colour'/],
    [
      ["serve", "--lambda-runtime", "nodejs14.x"],
      /--lambda-runtime "nodejs14.x": expected one of nodejs22.x, nodejs24.x/,
    ],
    [["serve", "--node", "/"], /--node "\/": is a directory/],
    [["launch"], /expected a command, serve or start/],
    [["start", "--once", "--watch"], /--once and --watch contradict each other/],
    [["start", "--interval-ms", "0", "--port", "0"], /--interval-ms 0 with the check: .* add --no-check/],
    [
      ["serve", "--handler", fixture("not-a-function.mjs"), "--runtime", "builtin"],
      /--handler .*not-a-function\.mjs: .*handler is undefined or not exported: export a function/,
    ],
    [
      ["serve", "--handler", fixture("not-a-function.mjs"), "--runtime", "ric"],
      /--handler .*not-a-function\.mjs: .*handler is not a function: export a function/,
    ],
    [["serve", "--handler", fixture("")], /is a directory: give the handler's file/],
    [
      ["serve", "--handler", fixture("syntax-error.mjs")],
      /syntax-error\.mjs:3:\d+: Expected "}" but found "body"/,
    ],
  ])("%j", async (args, message) => {
    await expectRejectedInProcess(async () => {
      const [command, ...rest] = args;
      if (command === "serve") await serveFunction({ ...parseServeArgs(rest), log: () => {} });
      else if (command === "start") parseStartArgs(rest, FUNCTIONS);
      else throw new UsageError("expected a command, serve or start (see --help)");
    }, message);
  });
});

// The same path through the real commands: runMain turns a UsageError into one line and exit 2.
describe("the real commands", () => {
  it.concurrent.each<[string, string[], RegExp]>([
    ["local.ts", ["serve", "--colour"], /Unknown option '--colour'/],
    ["local.ts", ["launch"], /expected a command, serve or start/],
    [
      "local.ts",
      ["serve", "--handler", fixture("not-a-function.mjs"), "--runtime", "ric"],
      /--handler .*not-a-function\.mjs: .*handler is not a function: export a function/,
    ],
    [
      "check-stream.ts",
      ["--url", "http://127.0.0.1:1/", "--function", "stream", "--interval-ms", "0"],
      /stream: an interval of 0 ms sends every line at once/,
    ],
    [
      "check-stream.ts",
      ["--url", "http://127.0.0.1:1/", "--json", "lambda/"],
      /--json lambda\/ is a directory/,
    ],
    ["check-stream.ts", ["--url", "http://127.0.0.1:1/", "stray"], /Too many arguments/],
    [
      "check-stream.ts",
      ["--url", "http://127.0.0.1:1/", "--logs"],
      /--logs needs the stack's functionNames output \(--invoke-json\)/,
    ],
  ])("%s %j exits 2 with one line", async (script, args, message) => {
    expectUsageError(await runScript(script, args, { GITHUB_STEP_SUMMARY: "" }), message);
  });
});

describe("check-stream.ts (the parser, in this process)", () => {
  it.concurrent.each<[string[], RegExp]>([
    [["--url", "ftp://example.com/"], /only http and https URLs can be checked, not ftp:/],
    [["--url", "not a url"], /is not a URL/],
    [[], /no URL to check/],
    [["--url", "http://127.0.0.1:1/", "--expect", "fast"], /Unknown option '--expect'/],
    [
      ["--urls-json", '{"nope":"http://127.0.0.1:1/"}'],
      /--urls-json names "nope", which is not a row of the function table/,
    ],
    [["--urls-json", "[1"], /--urls-json is not JSON/],
    [["--url", "http://127.0.0.1:1/", "--function", "nope"], /--function: no function named "nope"/],
    [["--url", "http://127.0.0.1:1/", "--interval-ms=-5"], /--interval-ms "-5": expected a whole number/],
    [["--url", "http://127.0.0.1:1/", "--sigv4", "mars"], /--sigv4 "mars": expected an AWS region/],
    [["--url", "http://127.0.0.1:1/", "--auth-type", "OPEN"], /--auth-type "OPEN": expected NONE or AWS_IAM/],
    [
      ["--url", "http://127.0.0.1:1/", "--function", "stream", "--interval-ms", "0"],
      /stream: an interval of 0 ms sends every line at once/,
    ],
    [
      ["--url", "http://127.0.0.1:1/", "--json", "test/"],
      /--json test\/ is a directory: give a file, e\.g\. test\/stream-check\.json/,
    ],
    [
      ["--url", "http://127.0.0.1:1/", "--markdown", "package.json/x/report.md"],
      /--markdown package\.json\/x\/report\.md: .*package\.json is a file/,
    ],
    [
      ["--url", "http://127.0.0.1:1/", "--wait-s", "-1"],
      /--wait-s "-1": expected a whole number from 0 to 3600/,
    ],
    [
      ["--url", "http://127.0.0.1:1/", "stray"],
      /Too many arguments\. Expected 0 arguments but got 1: stray\. \(see --help\)/,
    ],
    [
      // The longest interval: any row of two lines or more outlasts 5 s.
      [
        "--url",
        "http://127.0.0.1:1/",
        "--function",
        "stream",
        "--interval-ms",
        String(INTERVAL_MS.max),
        "--timeout-s",
        "5",
      ],
      new RegExp(
        `--timeout-s 5 is shorter than stream's lines \\(\\d+\\.\\d s at ${INTERVAL_MS.max} ms a line\\): use --timeout-s \\d+ or more`,
      ),
    ],
  ])("%j", async (args, message) => {
    await expectRejectedInProcess(async () => parseCheckArgs(args, FUNCTIONS), message);
  });
});

describe("check-stream.ts's SDK and browser flags (the parser, in this process)", () => {
  const region = { AWS_REGION: "us-east-1" };
  it.each<[string[], NodeJS.ProcessEnv, RegExp]>([
    [["--invoke", "nope"], region, /--invoke names "nope", which is not a row of the function table/],
    [["--invoke", "stream"], {}, /the SDK check needs --region <region> or AWS_REGION/],
    [["--invoke", "stream", "--region", "moon"], {}, /--region "moon": expected an AWS region/],
    [["--invoke-json", "[1"], region, /--invoke-json is not JSON: pass the stack's functionNames output/],
    [["--invoke-json", '{"nope":"x"}'], region, /--invoke-json names "nope"/],
    [["--invoke", "stream", "--invoke-json", "{}"], region, /either --invoke <function> or --invoke-json/],
    [["--url", "http://127.0.0.1:1/", "--region", "us-east-1"], {}, /--region goes with --invoke/],
    [
      ["--url", "http://127.0.0.1:1/", "--browser", "--auth-type", "AWS_IAM", "--sigv4", "us-east-1"],
      {},
      /--browser reads public URLs only: a browser cannot sign for AWS_IAM/,
    ],
    [
      ["--url", "http://127.0.0.1:1/", "--browser-path", "/usr/bin/chromium"],
      {},
      /--browser-path goes with --browser/,
    ],
    [["--url", "http://127.0.0.1:1/", "--auth-types-json", "[1"], {}, /--auth-types-json is not JSON/],
    [
      ["--urls-json", '{"stream":"http://127.0.0.1:1/"}', "--auth-types-json", '{"stream":"OPEN"}'],
      {},
      /--auth-types-json stream: "OPEN": expected NONE or AWS_IAM/,
    ],
    [
      ["--urls-json", '{"stream":"http://127.0.0.1:1/"}', "--auth-types-json", '{"stream":"AWS_IAM"}'],
      {},
      /AWS_IAM URLs need --sigv4 <region> or AWS_REGION in the environment/,
    ],
  ])("%j", async (args, env, message) => {
    await expectRejectedInProcess(async () => parseCheckArgs(args, FUNCTIONS, env), message);
  });
});

describe("check-stream.ts --browser-path", () => {
  it.each([
    ["/nope/chrome", /--browser-path \/nope\/chrome: no such file/],
    ["package.json", /--browser-path package\.json: not an executable program/],
  ])("%s is a usage error before any work", (path, message) => {
    expect(() => findBrowser({ PATH: "" }, path)).toThrow(message);
  });

  it("without a browser on PATH names what to install", () => {
    expect(findBrowser({ PATH: "/nonexistent" })).toBeUndefined();
    expect(NO_BROWSER).toMatch(/apt-get install chromium\) or give --browser-path/);
  });
});

describe("every command", () => {
  it.concurrent.each([
    "local.ts",
    "check-stream.ts",
    "stack-name.ts",
    "pr-comment.ts",
    "teardown.ts",
    "janitor.ts",
    "bench.ts",
    "lint-workflows.ts",
    "backend-url.ts",
    "costs.ts",
    "drift.ts",
  ])("%s --help prints its usage and exits 0", async (script) => {
    const args = script === "local.ts" ? ["serve"] : [];
    const help = await runScript(script, [...args, "--help"]);
    expect(help.status, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/^usage: /);
  });

  // Every command parses with the same parseFlags and ends in the same runMain: two of
  // them stand for the path from an unknown option to one line and exit 2.
  it.concurrent.each(["check-stream.ts", "janitor.ts"])(
    "%s --bogus is one line and exit 2",
    async (script) => {
      // commander may add "(Did you mean --logs?)"; it stays on the one line.
      expectUsageError(
        await runScript(script, ["--bogus"]),
        /Unknown option '--bogus'( \(Did you mean --\w+\?\))? \(see --help\)/,
      );
    },
  );
});

describe("--delivery", () => {
  it("is in serve's and start's help, naming where each shape was reported", async () => {
    for (const command of ["serve", "start"]) {
      const help = await runScript("local.ts", [command, "--help"]);
      expect(help.status).toBe(0);
      const text = help.stdout.replace(/\s+/g, " ");
      expect(text).toContain("--delivery");
      for (const source of ["serverless-adapter#166", "hono#1678", "#94", "#102"])
        expect(text).toContain(source);
    }
  });

  it("refuses a shape it does not know in one line, exit 2", async () => {
    expectUsageError(
      await runScript("local.ts", ["serve", "--delivery", "slow"]),
      /--delivery "slow": expected prompt, next-write/,
    );
  });
});

describe("backend-url.ts", () => {
  it("refuses an unknown tier in one line, exit 2, before printing any URL", async () => {
    expectUsageError(
      await runScript("backend-url.ts", ["--tier", "staging", "s3://b"]),
      /--tier "staging": expected branches or production/,
    );
  });
});

describe("npm start with a port taken", () => {
  it("names the row whose port is in use (the buffered one here), in one line, exit 2", async () => {
    // The first row gets taken - 1, free when we look; on a busy machine another process may bind
    // it before the command does (then the 1st row is named, rightly): try again, three times at most.
    for (let attempt = 1; ; attempt++) {
      const { port: taken, release } = await occupiedPort();
      try {
        const run = await runScript("local.ts", [
          "start",
          "--port",
          String(taken - 1),
          "--once",
          "--no-check",
        ]);
        if (attempt < 3 && /wanted by function stream, the 1st row/.test(run.stderr)) continue;
        expectUsageError(
          run,
          new RegExp(`port ${taken} is already in use.*\\(wanted by function buffer, the 2nd row\\)`),
        );
        return;
      } finally {
        release();
      }
    }
  });
});
