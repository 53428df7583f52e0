import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { REPO_ROOT } from "./helpers/repo.js";

// Self-managed state (S3 + KMS): a stack created by one job is destroyed by another, on a
// fresh checkout with no Pulumi.<stack>.yaml. The stand-in pulumi fails the way the real
// CLI does there, and the setup action's login step must export what avoids it.
const FAKE_BIN = fileURLToPath(
  new URL("../../packages/lambda-stream-kit/test/fixtures/bin", import.meta.url),
);
const BACKEND = "s3://lambda-streaming-pulumi-state-abc?region=eu-west-1";
const BRANCHES = "s3://lambda-streaming-pulumi-state-abc/branches?region=eu-west-1";

function freshState(): string {
  const file = join(mkdtempSync(join(tmpdir(), "diy-")), "state.json");
  writeFileSync(
    file,
    JSON.stringify({
      stacks: {
        "pr-7": { resources: 11, lastUpdate: new Date().toISOString(), prefix: "branches" },
        // Production's stack under its own path, unreadable to the branch role.
        production: {
          resources: 9,
          lastUpdate: new Date().toISOString(),
          prefix: "production",
          denied: true,
        },
      },
      calls: [],
    }),
  );
  return file;
}

const env = (state: string, extra: Record<string, string> = {}) => ({
  PATH: `${FAKE_BIN}${delimiter}${process.env.PATH}`,
  HOME: process.env.HOME ?? "/root",
  FAKE_PULUMI_STATE: state,
  DEFAULT_BRANCH: "main",
  ...extra,
});

/** Runs the composite action's login step as the runner would: its `run:` in bash, its env. */
function runLoginStep(state: string, tier = "branches"): Record<string, string> {
  const action = parse(readFileSync(join(REPO_ROOT, ".github/actions/setup/action.yml"), "utf8")) as {
    runs: { steps: { name: string; run?: string }[] };
  };
  const step = action.runs.steps.find((s) => s.name === "Log in to the self-managed backend");
  if (!step?.run) throw new Error("the setup action has no self-managed login step");
  const githubEnv = join(mkdtempSync(join(tmpdir(), "github-env-")), "env");
  writeFileSync(githubEnv, "");
  // Composite steps run in the workspace, the checkout's root.
  const run = spawnSync("bash", ["-eo", "pipefail", "-c", step.run], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    env: env(state, { PULUMI_BACKEND_URL: BACKEND, GITHUB_ENV: githubEnv, STATE_TIER: tier }),
  });
  expect(run.status, run.stderr).toBe(0);
  return Object.fromEntries(
    readFileSync(githubEnv, "utf8")
      .split("\n")
      .filter((line) => line.includes("="))
      .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
  );
}

const teardown = (state: string, extra: Record<string, string>) =>
  spawnSync(
    process.execPath,
    ["--import", "tsx", join(REPO_ROOT, "scripts/teardown.ts"), "--stack", "pr-7"],
    {
      cwd: REPO_ROOT,
      encoding: "utf8",
      env: env(state, extra),
    },
  );

describe("a self-managed (S3 + KMS) backend on a fresh checkout", () => {
  it("fails like the real CLI when nothing tells Pulumi to use the state's secrets provider", () => {
    const state = freshState();
    spawnSync("pulumi", ["login", BRANCHES], { env: env(state) });
    const run = teardown(state, {});
    expect(run.status).toBe(3);
    expect(run.stderr).toContain("passphrase must be set with PULUMI_CONFIG_PASSPHRASE");
    expect(JSON.parse(readFileSync(state, "utf8")).stacks["pr-7"].resources).toBe(11);
  });

  it("destroys the stack with what the setup action's login step exports", () => {
    const state = freshState();
    const exported = runLoginStep(state);
    expect(exported).toEqual({ PULUMI_FALLBACK_TO_STATE_SECRETS_MANAGER: "true" });
    expect(JSON.parse(readFileSync(state, "utf8")).backend).toBe(BRANCHES);
    const run = teardown(state, exported);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain("pr-7: destroyed");
  });

  it("lets stack select (what pulumi/actions' upsert runs) find the stack the same way", () => {
    const state = freshState();
    const exported = runLoginStep(state);
    const select = (extra: Record<string, string>) =>
      spawnSync("pulumi", ["stack", "select", "--stack", "pr-7"], {
        encoding: "utf8",
        env: env(state, extra),
      });
    expect(select({}).status).toBe(255);
    expect(select(exported).status).toBe(0);
  });

  it("logs each tier in to its own path, so a branch job's stack ls never reads production's state", () => {
    const state = freshState();
    runLoginStep(state, "branches");
    const ls = () => spawnSync("pulumi", ["stack", "ls", "--json"], { encoding: "utf8", env: env(state) });
    const listed = ls();
    expect(listed.status, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout).map((s: { name: string }) => s.name)).toEqual(["pr-7"]);
    // One path for both tiers: the DIY backend's listing fails on production's checkpoint.
    spawnSync("pulumi", ["login", BACKEND], { env: env(state) });
    const shared = JSON.parse(readFileSync(state, "utf8"));
    for (const stack of Object.values(shared.stacks) as { prefix?: string }[]) delete stack.prefix;
    writeFileSync(state, JSON.stringify(shared));
    expect(ls().status).toBe(255);
    expect(ls().stderr).toContain("AccessDenied");
  });

  it("logs production's jobs in to production's path", () => {
    const state = freshState();
    runLoginStep(state, "production");
    expect(JSON.parse(readFileSync(state, "utf8")).backend).toBe(
      "s3://lambda-streaming-pulumi-state-abc/production?region=eu-west-1",
    );
  });
});
