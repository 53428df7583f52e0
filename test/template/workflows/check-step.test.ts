import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { FUNCTIONS } from "../../../lambda/functions.js";
import { parseCheckArgs } from "../../../packages/lambda-stream-kit/src/stream-check/run.js";
import { REPO_ROOT } from "../helpers/repo.js";

// The deploy job's stream check, read as the runner would run it: every stack output it
// reads is one infra/index.ts exports, and its command line parses into the targets
// wanted (every row's URL, and every streaming row through the AWS SDK).
interface Step {
  id?: string;
  name?: string;
  run?: string;
  env?: Record<string, string>;
}
const deploy = parse(readFileSync(join(REPO_ROOT, ".github/workflows/deploy.yml"), "utf8")) as {
  jobs: Record<string, { steps?: Step[] }>;
};
const steps = Object.values(deploy.jobs).flatMap((job) => job.steps ?? []);
const check = steps.find((step) => step.id === "check") as Step;
// `export const name = …` and `export const { a, b } = …`, the stack program's two forms.
const program = readFileSync(join(REPO_ROOT, "infra/index.ts"), "utf8");
const exported = new Set([
  ...[...program.matchAll(/^export const (\w+)/gm)].map((m) => m[1]),
  ...[...program.matchAll(/^export const \{([^}]*)\}/gm)].flatMap((m) =>
    (m[1] ?? "").split(",").map((name) => name.trim().split(":").at(-1)?.trim()),
  ),
]);

/** The step's env as the runner would fill it from the stack outputs. */
function stackOutputs(authTypes: Record<string, string> = {}): Record<string, string> {
  const urls = Object.fromEntries(
    FUNCTIONS.map((fn) => [fn.name, `https://${fn.name}.lambda-url.us-east-1.on.aws/`]),
  );
  const names = Object.fromEntries(FUNCTIONS.map((fn) => [fn.name, `app-pr-7-${fn.name}`]));
  const auth = Object.fromEntries(FUNCTIONS.map((fn) => [fn.name, authTypes[fn.name] ?? "NONE"]));
  const rest = Object.fromEntries(
    FUNCTIONS.filter((fn) => fn.restApi).map((fn) => [
      fn.name,
      `https://${fn.name}.execute-api.us-east-1.amazonaws.com/api/`,
    ]),
  );
  return {
    urls: JSON.stringify(urls),
    restApiUrls: JSON.stringify(rest),
    authTypes: JSON.stringify(auth),
    functionNames: JSON.stringify(names),
  };
}

describe("the deploy job's stream check", () => {
  it("reads only outputs the stack exports", () => {
    const read = [...JSON.stringify(deploy).matchAll(/steps\.up\.outputs\.(\w+)/g)].map((m) => m[1]);
    expect(read.length).toBeGreaterThan(0);
    for (const name of read) expect(exported, name).toContain(name);
  });

  /** The check step's environment as the runner fills it from the outputs and `vars`. */
  function stepEnv(
    vars: Record<string, string>,
    authTypes: Record<string, string> = {},
  ): Record<string, string> {
    const outputs = stackOutputs(authTypes);
    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries(check.env ?? {})) {
      // The base branch's recorded costs (scripts/costs.ts base prints JSON; `{}` when none).
      if (/steps\.base\.outputs\.costs/.test(value)) {
        env[name] = JSON.stringify(Object.fromEntries(FUNCTIONS.map((fn) => [fn.name, 0.0037])));
        continue;
      }
      const output = /steps\.up\.outputs\.(\w+)/.exec(value)?.[1];
      const variable = /vars\.(\w+)/.exec(value)?.[1];
      env[name] = output ? (outputs[output] ?? "") : variable ? (vars[variable] ?? "") : value;
    }
    return env;
  }

  /** The check's arguments after the shell expanded them. */
  function stepArgs(env: Record<string, string>): string[] {
    // `run: >-` folds to one line; the shell expands "$VAR" and splits at spaces.
    const words = (check.run ?? "").replace(/\s+/g, " ").trim().split(" ");
    return words
      .slice(words.indexOf("--") + 1)
      .map((word) => word.replace(/^"\$(\w+)"$/, (_, name: string) => env[name] ?? ""));
  }

  it("reads every public URL in the runner's browser too when the BROWSER_CHECK variable is true", () => {
    for (const [value, wanted] of [
      ["true", true],
      ["", false],
      ["false", false],
    ] as const) {
      const env = stepEnv({ BROWSER_CHECK: value });
      const run = parseCheckArgs(stepArgs(env), FUNCTIONS, { ...env, AWS_REGION: "eu-west-1" });
      expect(Boolean(run.browser), value).toBe(wanted);
    }
  });

  it("checks every row's URL, every REST API door and every streaming row through the SDK, with the job's region", () => {
    const env = stepEnv({});
    const run = parseCheckArgs(stepArgs(env), FUNCTIONS, { AWS_REGION: "eu-west-1" });
    expect(run.targets.map((t) => [t.label, t.invoke?.functionName ?? t.url])).toEqual([
      ...FUNCTIONS.map((fn) => [fn.name, `https://${fn.name}.lambda-url.us-east-1.on.aws/`]),
      ...FUNCTIONS.filter((fn) => fn.invokeMode === "RESPONSE_STREAM").map((fn) => [
        `${fn.name}·sdk`,
        `app-pr-7-${fn.name}`,
      ]),
      ...FUNCTIONS.filter((fn) => fn.restApi).map((fn) => [
        `${fn.name}·rest`,
        `https://${fn.name}.execute-api.us-east-1.amazonaws.com/api/`,
      ]),
    ]);
    expect(run.targets.find((t) => t.invoke)?.invoke?.region).toBe("eu-west-1");
  });

  it("signs exactly the rows whose URL is AWS_IAM (a row may override the stack's auth type)", () => {
    const [first, ...others] = FUNCTIONS;
    const env = stepEnv({}, { [first?.name ?? ""]: "AWS_IAM" });
    const run = parseCheckArgs(stepArgs(env), FUNCTIONS, {
      AWS_REGION: "eu-west-1",
      AWS_ACCESS_KEY_ID: "id",
      AWS_SECRET_ACCESS_KEY: "secret",
    });
    const urlTargets = run.targets.filter((t) => !t.invoke && !t.restApi);
    expect(urlTargets.map((t) => [t.label, t.sign])).toEqual([
      [first?.name, true],
      ...others.map((fn) => [fn.name, false]),
    ]);
    expect(run.options.sigv4Region).toBe("eu-west-1");
  });

  it("leaves an AWS_IAM row's REST API door out, saying why, and reads a public one unsigned", () => {
    const doors = FUNCTIONS.filter((fn) => fn.restApi);
    if (doors.length === 0) return; // no row has a REST API door
    const env = stepEnv({}, Object.fromEntries(doors.map((fn) => [fn.name, "AWS_IAM"])));
    const run = parseCheckArgs(stepArgs(env), FUNCTIONS, {
      AWS_REGION: "eu-west-1",
      AWS_ACCESS_KEY_ID: "id",
      AWS_SECRET_ACCESS_KEY: "secret",
    });
    expect(run.targets.filter((t) => t.restApi)).toEqual([]);
    expect(run.skipped).toEqual(
      doors.map((fn) => expect.stringMatching(new RegExp(`^${fn.name}·rest: not checked`))),
    );
    const open = parseCheckArgs(stepArgs(stepEnv({})), FUNCTIONS, { AWS_REGION: "eu-west-1" });
    for (const target of open.targets.filter((t) => t.restApi)) expect(target.sign).toBe(false);
  });
});
