import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { describe, expect, it } from "vitest";
import { stackNameForBranch } from "../../../src/pulumi/stack-name.js";
import { startFakeGitHub } from "../../../src/testing/github-api.js";
import { ago, FAKE_BIN, useFakePulumi } from "../../helpers/fake-pulumi.js";
import { runScript } from "../../helpers/process.js";

const { writeState, readState, script, stateFile } = useFakePulumi();

describe("teardown.ts driven by a GitHub event", () => {
  it("takes the branch and PR from a pull_request event payload, and writes step outputs", () => {
    const dir = mkdtempSync(join(tmpdir(), "event-"));
    const event = join(dir, "event.json");
    const output = join(dir, "output");
    writeFileSync(output, "");
    const stack = stackNameForBranch("feature/$(rm -rf ~)");
    writeState({ [stack]: { resources: 2, lastUpdate: ago(1) } });
    writeFileSync(
      event,
      JSON.stringify({
        repository: { full_name: "acme/streaming" },
        pull_request: {
          number: 12,
          head: { ref: "feature/$(rm -rf ~)", repo: { full_name: "acme/streaming" } },
        },
      }),
    );
    const run = script("teardown.ts", ["--github-event"], {
      GITHUB_EVENT_NAME: "pull_request",
      GITHUB_EVENT_PATH: event,
      GITHUB_OUTPUT: output,
    });
    expect(run.status).toBe(0);
    expect(readFileSync(output, "utf8")).toBe(`stack=${stack}\noutcome=destroyed\npr=12\n`);
    expect(readState().stacks).toEqual({});
  });

  it.each([
    [
      "pull_request",
      {
        repository: { full_name: "acme/s" },
        pull_request: { number: 1, head: { ref: "x", repo: { full_name: "fork/s" } } },
      },
      "came from a fork",
    ],
    ["delete", { ref: "v1.0.0", ref_type: "tag" }, "a tag was deleted, not a branch"],
  ])("skips a %s event that has no stack (%j)", (name, payload, reason) => {
    const event = join(mkdtempSync(join(tmpdir(), "event-")), "event.json");
    writeFileSync(event, JSON.stringify(payload));
    writeState({ x: { resources: 1, lastUpdate: ago(1) } });
    const run = script("teardown.ts", ["--github-event"], {
      GITHUB_EVENT_NAME: name,
      GITHUB_EVENT_PATH: event,
    });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(reason);
    expect(readState().stacks.x).toBeDefined();
  });

  it("takes a dispatch's branch and its confirm", () => {
    const event = join(mkdtempSync(join(tmpdir(), "event-")), "event.json");
    writeState({
      production: { resources: 5, lastUpdate: ago(1) },
      [stackNameForBranch("Feature/A")]: { resources: 1, lastUpdate: ago(1) },
    });
    const dispatch = (inputs: Record<string, string>) => {
      writeFileSync(event, JSON.stringify({ inputs }));
      return script("teardown.ts", ["--github-event"], {
        GITHUB_EVENT_NAME: "workflow_dispatch",
        GITHUB_EVENT_PATH: event,
      });
    };
    expect(dispatch({ branch: "Feature/A" }).status).toBe(0);
    expect(Object.keys(readState().stacks)).toEqual(["production"]);
    expect(dispatch({ branch: "main", confirm: "" }).status).toBe(3);
    expect(dispatch({ branch: "main", confirm: "production" }).status).toBe(0);
    expect(readState().stacks).toEqual({});
  });

  it("is a usage error without exactly one of --branch and --stack", () => {
    writeState({});
    expect(script("teardown.ts", []).status).toBe(2);
    expect(script("teardown.ts", ["--branch", "a", "--stack", "b"]).status).toBe(2);
  });

  it("refuses to guess the default branch, before touching any stack", () => {
    writeState({ production: { resources: 9, lastUpdate: ago(1) } });
    const run = script("teardown.ts", ["--branch", "main"], { DEFAULT_BRANCH: "" });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(
      "the default branch is unknown: pass --default-branch or set DEFAULT_BRANCH",
    );
    expect(readState().calls).toEqual([]);
  });

  it("keeps the stack when another open pull request deploys from the same branch, and says so", async () => {
    const github = await startFakeGitHub("acme", "streaming");
    try {
      // #5 was just closed; #6 (into another base) is still open from the same head branch.
      github.pulls.push({ number: 5, head: "feature/x", state: "closed" }, { number: 6, head: "feature/x" });
      const stack = stackNameForBranch("feature/x");
      writeState({ [stack]: { resources: 2, lastUpdate: ago(1) } });
      const dir = mkdtempSync(join(tmpdir(), "event-"));
      const event = join(dir, "event.json");
      const output = join(dir, "output");
      writeFileSync(output, "");
      writeFileSync(
        event,
        JSON.stringify({
          repository: { full_name: "acme/streaming" },
          pull_request: { number: 5, head: { ref: "feature/x", repo: { full_name: "acme/streaming" } } },
        }),
      );
      const env = {
        PATH: `${FAKE_BIN}${delimiter}${process.env.PATH}`,
        FAKE_PULUMI_STATE: stateFile(),
        GITHUB_EVENT_NAME: "pull_request",
        GITHUB_EVENT_PATH: event,
        GITHUB_OUTPUT: output,
        GITHUB_TOKEN: "t",
        GITHUB_REPOSITORY: "acme/streaming",
        GITHUB_API_URL: github.url,
        DEFAULT_BRANCH: "main",
      };
      const kept = await runScript("teardown.ts", ["--github-event"], env);
      expect(kept.status, kept.stderr).toBe(0);
      expect(kept.stdout).toContain("kept (pull request #6 is still open from feature/x)");
      expect(readFileSync(output, "utf8")).toBe(`stack=${stack}\noutcome=kept\npr=5\n`);
      expect(readState().stacks[stack]?.resources).toBe(2);
      expect(readState().calls).toEqual([]);
      // Once the last one closes, the stack goes.
      github.pulls[1] = { number: 6, head: "feature/x", state: "closed" };
      writeFileSync(output, "");
      const last = await runScript("teardown.ts", ["--github-event"], env);
      expect(last.status, last.stderr).toBe(0);
      expect(readState().stacks).toEqual({});
    } finally {
      await github.close();
    }
  });

  it("skips Dependabot's pull requests by their author: they never had a stack", () => {
    const event = join(mkdtempSync(join(tmpdir(), "event-")), "event.json");
    writeFileSync(
      event,
      JSON.stringify({
        repository: { full_name: "acme/s" },
        pull_request: {
          number: 4,
          user: { login: "dependabot[bot]" },
          head: { ref: "dependabot/npm_and_yarn/zx-8.9.0", repo: { full_name: "acme/s" } },
        },
      }),
    );
    writeState({});
    const run = script("teardown.ts", ["--github-event"], {
      GITHUB_EVENT_NAME: "pull_request",
      GITHUB_EVENT_PATH: event,
    });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("Dependabot's pull requests are never deployed");
    expect(readState().calls).toEqual([]);
  });

  it("marks the branch's newest pull request when a deleted branch triggered it, and again when already gone", async () => {
    const github = await startFakeGitHub("acme", "streaming");
    try {
      github.pulls.push(
        { number: 3, head: "feature/x", state: "closed" },
        { number: 8, head: "feature/x", state: "closed" },
      );
      const stack = stackNameForBranch("feature/x");
      writeState({ [stack]: { resources: 2, lastUpdate: ago(1) } });
      const dir = mkdtempSync(join(tmpdir(), "event-"));
      const event = join(dir, "event.json");
      writeFileSync(
        event,
        JSON.stringify({ ref: "feature/x", ref_type: "branch", repository: { full_name: "acme/streaming" } }),
      );
      const env = {
        PATH: `${FAKE_BIN}${delimiter}${process.env.PATH}`,
        FAKE_PULUMI_STATE: stateFile(),
        GITHUB_EVENT_NAME: "delete",
        GITHUB_EVENT_PATH: event,
        GITHUB_TOKEN: "t",
        GITHUB_REPOSITORY: "acme/streaming",
        GITHUB_API_URL: github.url,
        DEFAULT_BRANCH: "main",
      };
      for (const expected of ["destroyed", "already-gone"]) {
        const output = join(dir, `output-${expected}`);
        writeFileSync(output, "");
        const run = await runScript("teardown.ts", ["--github-event"], { ...env, GITHUB_OUTPUT: output });
        expect(run.status).toBe(0);
        expect(readFileSync(output, "utf8")).toBe(`stack=${stack}\noutcome=${expected}\npr=8\n`);
      }
    } finally {
      await github.close();
    }
  });
});
