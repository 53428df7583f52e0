import { describe, expect, it } from "vitest";
import { stackNameForBranch } from "../../../src/pulumi/stack-name.js";
import { ago, useFakePulumi } from "../../helpers/fake-pulumi.js";

const { writeState, readState, script } = useFakePulumi();

describe("teardown.ts against a stand-in pulumi", () => {
  it("destroys and removes a stack, and succeeds again when it is already gone", () => {
    writeState({ "pr-7": { resources: 11, lastUpdate: ago(1) } });
    const first = script("teardown.ts", ["--stack", "pr-7"]);
    expect(first.status).toBe(0);
    expect(first.stdout).toContain("pr-7: destroyed");
    expect(readState().stacks).toEqual({});
    const second = script("teardown.ts", ["--stack", "pr-7"]);
    expect(second.status).toBe(0);
    expect(second.stdout).toContain("pr-7: already-gone");
    // The second run's destroy found no stack, and nothing followed it.
    expect(readState().calls).toHaveLength(3);
    expect(readState().calls.at(-1)?.[0]).toBe("destroy");
  });

  it("never lists stacks: a checkpoint this role may not read (production's) does not stop it", () => {
    // The DIY backend's `stack ls` fails on the first unreadable checkpoint; so would this teardown.
    writeState(
      {
        production: { resources: 9, lastUpdate: ago(1), denied: true },
        "pr-7": { resources: 3, lastUpdate: ago(1) },
      },
      "s3://state-bucket?region=eu-west-1",
    );
    const run = script("teardown.ts", ["--stack", "pr-7"], {
      PULUMI_FALLBACK_TO_STATE_SECRETS_MANAGER: "true",
    });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(readState().stacks["pr-7"]).toBeUndefined();
    expect(readState().stacks.production?.resources).toBe(9);
    expect(readState().calls.some((call) => call[1] === "ls")).toBe(false);
  });

  it("destroys with a refresh before removing, and never forces the removal", () => {
    writeState({ "pr-7": { resources: 3, lastUpdate: ago(1) } });
    script("teardown.ts", ["--stack", "pr-7"]);
    const calls = readState().calls;
    expect(calls[0]).toEqual([
      "destroy",
      "--stack",
      "pr-7",
      "--yes",
      "--non-interactive",
      "--refresh",
      "--skip-preview",
    ]);
    expect(calls[1]).toEqual(["stack", "rm", "--stack", "pr-7", "--yes"]);
  });

  it("names the stack <org>/<stack> to Pulumi when PULUMI_ORG is set (a bare name means the token's default org)", () => {
    writeState({ "pr-7": { resources: 3, lastUpdate: ago(1) } });
    const run = script("teardown.ts", ["--stack", "pr-7"], { PULUMI_ORG: "acme" });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain("pr-7: destroyed");
    const calls = readState().calls;
    expect(calls.map((call) => call[call.indexOf("--stack") + 1])).toEqual(["acme/pr-7", "acme/pr-7"]);
  });

  it("maps a branch to its stack", () => {
    const stack = stackNameForBranch("feature/Login");
    writeState({ [stack]: { resources: 2, lastUpdate: ago(1) } });
    const run = script("teardown.ts", ["--branch", "feature/Login"]);
    expect(run.status).toBe(0);
    expect(readState().stacks).toEqual({});
  });

  it("refuses the protected stack unless confirm repeats its name", () => {
    writeState({ production: { resources: 9, lastUpdate: ago(1) } });
    const refused = script("teardown.ts", ["--branch", "main"]);
    // A refused teardown is an operational outcome (exit 3), not a usage mistake (exit 2).
    expect(refused.status).toBe(3);
    expect(refused.stderr.trim().split("\n")).toHaveLength(1);
    expect(refused.stderr).toContain('refusing to destroy the protected stack "production"');
    expect(readState().stacks.production?.resources).toBe(9);
    const wrong = script("teardown.ts", ["--stack", "production", "--confirm", "prod"]);
    expect(wrong.status).toBe(3);
    const confirmed = script("teardown.ts", ["--stack", "production", "--confirm", "production"]);
    expect(confirmed.status).toBe(0);
    expect(readState().stacks).toEqual({});
  });

  it("keeps the stack and its state when destroy fails, and says how to recover", () => {
    writeState({ "pr-9": { resources: 4, lastUpdate: ago(1), failDestroy: true } });
    const run = script("teardown.ts", ["--stack", "pr-9"]);
    expect(run.status).toBe(3);
    expect(run.stderr.trim().split("\n").at(-1)).toMatch(/^teardown: pulumi destroy of pr-9 failed/);
    expect(run.stderr).toMatch(
      /pulumi destroy of pr-9 failed \(error: update failed\); the stack and its state are kept/,
    );
    expect(run.stderr).toContain("pulumi cancel");
    expect(readState().stacks["pr-9"]).toBeDefined();
    expect(readState().calls.some((call) => call[0] === "stack" && call[1] === "rm")).toBe(false);
  });
});
