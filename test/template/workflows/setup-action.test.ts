import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { REPO_ROOT } from "../helpers/repo.js";

interface Step {
  name: string;
  uses?: string;
  run?: string;
  with?: Record<string, string>;
}
const action = parse(readFileSync(join(REPO_ROOT, ".github/actions/setup/action.yml"), "utf8")) as {
  runs: { steps: Step[] };
};
const step = (name: string) => {
  const found = action.runs.steps.find((s) => s.name === name);
  if (!found) throw new Error(`the setup action has no step "${name}"`);
  return found;
};

/** A GitHub expression as the YAML spells it (built up: it is not a JS template). */
const expression = (inner: string) => ["$", "{{ ", inner, " }}"].join("");

const PERSONAL = "urn:pulumi:token-type:access_token:personal";
const TEAM = "urn:pulumi:token-type:access_token:team";
const ORGANIZATION = "urn:pulumi:token-type:access_token:organization";

/** The check step as the runner runs it: its `run:` in bash, with its env. */
function check(env: Record<string, string>) {
  return spawnSync(
    "bash",
    ["-eo", "pipefail", "-c", step("Check that a state backend is configured").run ?? ""],
    {
      encoding: "utf8",
      env: {
        PATH: process.env.PATH,
        AWS_ROLE_ARN: "arn:aws:iam::123456789012:role/github-deploy-lambda-streaming",
        PULUMI_ORG: "acme",
        HAS_TOKEN: "false",
        PULUMI_BACKEND_URL: "",
        PULUMI_TOKEN_TYPE: "",
        PULUMI_TOKEN_SCOPE: "",
        ...env,
      },
    },
  );
}

describe("the Pulumi CLI", () => {
  it("is the version of @pulumi/pulumi in the lockfile, read by the step before it installs", () => {
    const output = join(mkdtempSync(join(tmpdir(), "output-")), "output");
    writeFileSync(output, "");
    const run = spawnSync(
      "bash",
      ["-eo", "pipefail", "-c", step("Read the Pulumi version the lockfile names").run ?? ""],
      {
        cwd: REPO_ROOT,
        encoding: "utf8",
        env: { PATH: process.env.PATH, GITHUB_OUTPUT: output },
      },
    );
    expect(run.status, run.stderr).toBe(0);
    const lock = JSON.parse(readFileSync(join(REPO_ROOT, "package-lock.json"), "utf8"));
    const version = lock.packages["node_modules/@pulumi/pulumi"].version as string;
    expect(version).toMatch(/^3\.\d+\.\d+$/);
    expect(readFileSync(output, "utf8")).toBe(`version=${version}\n`);
    expect(step("Install the Pulumi CLI").with?.["pulumi-version"]).toBe(
      expression("steps.pulumi-version.outputs.version"),
    );
  });
});

describe("Pulumi Cloud through OIDC: the token's scope", () => {
  it("refuses a personal token without user:<login>, before any login, naming the variable", () => {
    for (const scope of ["", "alice", "team:deployers"]) {
      const run = check({ PULUMI_TOKEN_TYPE: PERSONAL, PULUMI_TOKEN_SCOPE: scope });
      expect(run.status).toBe(1);
      expect(run.stdout).toContain("set repository variable PULUMI_TOKEN_SCOPE to user:<your Pulumi login>");
    }
  });

  it("refuses a team token without team:<name>", () => {
    const run = check({ PULUMI_TOKEN_TYPE: TEAM, PULUMI_TOKEN_SCOPE: "" });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("PULUMI_TOKEN_SCOPE to team:<the Pulumi team's name>");
  });

  it.each([
    [PERSONAL, "user:alice"],
    [TEAM, "team:deployers"],
    [ORGANIZATION, ""],
    ["", ""],
  ])("accepts %s with scope %j", (type, scope) => {
    const run = check({ PULUMI_TOKEN_TYPE: type, PULUMI_TOKEN_SCOPE: scope });
    expect(run.stdout).toBe("");
    expect(run.status).toBe(0);
  });

  it("passes the scope to pulumi/auth-actions, and every workflow passes PULUMI_TOKEN_SCOPE to the action", () => {
    const login = action.runs.steps.find((s) => s.uses?.startsWith("pulumi/auth-actions@"));
    expect(login?.with?.scope).toBe(expression("inputs.pulumi-token-scope"));
    for (const file of ["deploy.yml", "teardown.yml", "janitor.yml"]) {
      const text = readFileSync(join(REPO_ROOT, ".github/workflows", file), "utf8");
      const setups = text.split("uses: ./.github/actions/setup").length - 1;
      expect(setups, file).toBeGreaterThan(0);
      expect(
        text.split(`pulumi-token-scope: ${expression("vars.PULUMI_TOKEN_SCOPE")}`).length - 1,
        file,
      ).toBe(setups);
    }
  });
});
