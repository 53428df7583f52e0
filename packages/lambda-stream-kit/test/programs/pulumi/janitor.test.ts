import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { describe, expect, it } from "vitest";
import { planJanitor } from "../../../src/pulumi/janitor.js";
import { stackNameForBranch } from "../../../src/pulumi/stack-name.js";
import { startFakeGitHub } from "../../../src/testing/github-api.js";
import { ago, FAKE_BIN, useFakePulumi } from "../../helpers/fake-pulumi.js";
import { runScript } from "../../helpers/process.js";

const { writeState, readState, script, stateFile } = useFakePulumi();

describe("janitor", () => {
  const now = new Date("2026-11-27T12:00:00Z");
  const stacks = [
    { name: "production", lastUpdate: "2026-01-01T00:00:00Z" },
    { name: "fresh", lastUpdate: "2026-11-26T12:00:00Z" },
    { name: "stale", lastUpdate: "2026-11-10T12:00:00Z" },
    { name: "orphan", lastUpdate: "2026-11-26T12:00:00Z" },
    { name: "busy", lastUpdate: "2026-11-01T12:00:00Z", updateInProgress: true },
    { name: "acme/kit-fixture/fresh-qualified", lastUpdate: "2026-11-26T12:00:00Z" },
  ];

  it("destroys stacks whose branch is gone or idle past the TTL, never the protected or a busy one", () => {
    const decisions = planJanitor({
      stacks,
      branches: ["main", "fresh", "stale", "busy", "fresh-qualified"],
      defaultBranch: "main",
      now,
      ttlDays: 7,
    });
    expect(Object.fromEntries(decisions.map((d) => [d.stack, d.action]))).toEqual({
      production: "keep",
      fresh: "keep",
      stale: "destroy",
      orphan: "destroy",
      busy: "skip",
      "fresh-qualified": "keep",
    });
    expect(decisions.find((d) => d.stack === "stale")?.reason).toBe("idle 17 days, over the 7-day TTL");
    expect(decisions.find((d) => d.stack === "orphan")?.reason).toBe("its branch no longer exists");
  });

  function remoteWith(branches: string[]): string {
    const dir = mkdtempSync(join(tmpdir(), "remote-"));
    const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "pipe" });
    git("init", "-q", "-b", "main");
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "--allow-empty", "-m", "init");
    for (const branch of branches) git("branch", branch);
    return dir;
  }

  it("changes nothing in a dry run and prints what it would do", () => {
    writeState({
      production: { resources: 9, lastUpdate: ago(300) },
      "keep-me": { resources: 2, lastUpdate: ago(1) },
      gone: { resources: 2, lastUpdate: ago(1) },
    });
    const run = script("janitor.ts", ["--remote", remoteWith(["keep-me"])]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("1 of 3 stacks to destroy (dry run: nothing changed)");
    expect(run.stdout).toMatch(/\| `gone` \| .* \| destroy \(dry run\) \| its branch no longer exists \|/);
    expect(Object.keys(readState().stacks).sort()).toEqual(["gone", "keep-me", "production"]);
    expect(readState().calls.every((call) => call[0] === "stack" && call[1] === "ls")).toBe(true);
  });

  it("runs with a self-managed backend whose production state the branch role may not read", () => {
    // Production's checkpoint under its own path (the setup action's state-tier), denied to
    // this role; the branch stacks under theirs, where the janitor is logged in.
    writeState(
      {
        production: { resources: 9, lastUpdate: ago(300), prefix: "production", denied: true },
        "keep-me": { resources: 2, lastUpdate: ago(1), prefix: "branches" },
        gone: { resources: 2, lastUpdate: ago(1), prefix: "branches" },
      },
      "s3://state-bucket/branches?region=eu-west-1",
    );
    const env = { PULUMI_FALLBACK_TO_STATE_SECRETS_MANAGER: "true" };
    const run = script("janitor.ts", ["--remote", remoteWith(["keep-me"]), "--mode", "apply"], env);
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("1 of 2 stacks to destroy");
    expect(Object.keys(readState().stacks).sort()).toEqual(["keep-me", "production"]);
  });

  it("with --apply destroys exactly the stacks it names", () => {
    writeState({
      production: { resources: 9, lastUpdate: ago(300) },
      "keep-me": { resources: 2, lastUpdate: ago(1) },
      gone: { resources: 2, lastUpdate: ago(1) },
      idle: { resources: 2, lastUpdate: ago(30) },
    });
    const run = script("janitor.ts", ["--mode", "apply", "--remote", remoteWith(["keep-me", "idle"])]);
    expect(run.status).toBe(0);
    expect(Object.keys(readState().stacks).sort()).toEqual(["keep-me", "production"]);
    expect(run.stdout).toMatch(
      /\| `idle` \| .* \| destroy \| idle 30 days, over the 7-day TTL \| destroyed \|/,
    );
  });

  it("with --dispatch runs each destroy as the branch's own Teardown run, never destroying itself", async () => {
    const github = await startFakeGitHub("acme", "streaming");
    try {
      github.branches.push("main", "keep-me");
      // A long branch gets a cut, hashed stack name: only the stack's branch output names it.
      const long = `feature/${"a-very-long-branch-name-".repeat(4)}end`;
      const hashed = stackNameForBranch(long);
      writeState({
        production: { resources: 9, lastUpdate: ago(300) },
        "keep-me": { resources: 2, lastUpdate: ago(1), outputs: { branch: "keep-me" } },
        [hashed]: { resources: 2, lastUpdate: ago(1), outputs: { branch: long } },
        "no-output": { resources: 2, lastUpdate: ago(1) },
      });
      const run = await runScript("janitor.ts", ["--mode", "apply", "--dispatch"], {
        PATH: `${FAKE_BIN}${delimiter}${process.env.PATH}`,
        FAKE_PULUMI_STATE: stateFile(),
        GITHUB_TOKEN: "t",
        GITHUB_REPOSITORY: "acme/streaming",
        GITHUB_API_URL: github.url,
        DEFAULT_BRANCH: "main",
        GITHUB_STEP_SUMMARY: "",
      });
      expect(github.dispatches).toEqual([
        { workflow: "teardown.yml", ref: "main", inputs: { branch: long } },
      ]);
      // A stack whose branch cannot be told is left, and the run says so (exit 1).
      expect(run.stdout).toMatch(
        /\| `no-output` \| .* \| skipped: no branch output maps to it; run Teardown by hand/,
      );
      expect(run.status).toBe(1);
      expect(readState().calls.some((call) => call[0] === "destroy")).toBe(false);
      expect(Object.keys(readState().stacks).sort()).toEqual(
        [hashed, "keep-me", "no-output", "production"].sort(),
      );
    } finally {
      await github.close();
    }
  });

  it("lists branches through GitHub's API in a workflow (no git credentials there)", async () => {
    const github = await startFakeGitHub("acme", "streaming");
    try {
      github.branches.push("main", ...Array.from({ length: 120 }, (_, i) => `feature-${i}`));
      writeState({
        "feature-119": { resources: 1, lastUpdate: ago(1) },
        "feature-500": { resources: 1, lastUpdate: ago(1) },
      });
      const run = await runScript("janitor.ts", ["--mode", "apply"], {
        PATH: `${FAKE_BIN}${delimiter}${process.env.PATH}`,
        FAKE_PULUMI_STATE: stateFile(),
        GITHUB_TOKEN: "t",
        GITHUB_REPOSITORY: "acme/streaming",
        GITHUB_API_URL: github.url,
        GITHUB_STEP_SUMMARY: "",
        DEFAULT_BRANCH: "main",
      });
      expect(run.status).toBe(0);
      expect(Object.keys(readState().stacks)).toEqual(["feature-119"]);
      expect(github.requests.filter((r) => r.path.includes("/branches"))).toHaveLength(2);
    } finally {
      await github.close();
    }
  });

  it("refuses to guess the default branch, before listing anything", () => {
    writeState({ gone: { resources: 2, lastUpdate: ago(1) } });
    const run = script("janitor.ts", ["--mode", "apply", "--remote", remoteWith([])], { DEFAULT_BRANCH: "" });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("the default branch is unknown");
    expect(readState().calls).toEqual([]);
  });

  it("refuses to judge when it cannot list the remote's branches", () => {
    writeState({ gone: { resources: 2, lastUpdate: ago(1) } });
    const run = script("janitor.ts", ["--mode", "apply", "--remote", join(tmpdir(), "no-such-remote")]);
    // An operational failure, not a usage mistake: exit 3, one line.
    expect(run.status).toBe(3);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toContain("cannot tell which branches exist");
    expect(readState().stacks.gone).toBeDefined();
  });
});
