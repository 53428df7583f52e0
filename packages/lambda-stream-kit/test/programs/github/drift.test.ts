// The drift check's report against a local stand-in for GitHub's REST API: one issue per stack
// while it drifts, opened, brought up to date, and closed when the stack is clean again.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classifyPreview } from "../../../src/github/drift.js";
import { type FakeGitHub, startFakeGitHub } from "../../../src/testing/github-api.js";
import { runScript } from "../../helpers/process.js";
import { FIXTURE_PROJECT } from "../../helpers/project.js";

// What the Pulumi CLI prints for a refreshed stack that drifted (pulumi/pulumi pkg/cmd/pulumi
// preview.go's error for --expect-no-changes), and for one that did not.
const DRIFTED = `Previewing update (production)

     Type                    Name                 Plan       Info
     pulumi:pulumi:Stack     kit-fixture-production
 ~   └─ aws:lambda:Function  stream-function      update     [diff: ~memorySize]

Resources:
    ~ 1 to update
    14 unchanged

error: no changes were expected but changes were proposed
`;
const CLEAN = `Previewing update (production)

Resources:
    15 unchanged
`;

describe("classifying pulumi preview --expect-no-changes", () => {
  it("tells drift from a clean stack and from a failure with no verdict", () => {
    expect(classifyPreview(0, CLEAN)).toBe("clean");
    expect(classifyPreview(255, DRIFTED)).toBe("drift");
    // The wording of newer CLIs (NoChangesExpectedError).
    expect(
      classifyPreview(255, "error: no changes were expected for preview but changes were proposed"),
    ).toBe("drift");
    expect(classifyPreview(255, "error: failed to load checkpoint: AccessDenied")).toBe("error");
  });
});

describe("the drift issue", () => {
  let github: FakeGitHub;
  const dir = mkdtempSync(join(tmpdir(), "drift-"));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const run = (code: number, output: string) =>
    runScript(
      "drift.ts",
      ["--stack", "production", "--exit-code", String(code), "--pulumi-output", file(`p${code}.txt`, output)],
      {
        GITHUB_API_URL: github.url,
        GITHUB_REPOSITORY: "acme/streaming",
        GITHUB_TOKEN: "t",
        GITHUB_SERVER_URL: "https://github.com",
        GITHUB_RUN_ID: "9",
      },
    );
  beforeAll(async () => {
    github = await startFakeGitHub("acme", "streaming");
  });
  afterAll(() => github.close());

  it("does nothing for a clean stack with no issue open", async () => {
    const clean = await run(0, CLEAN);
    expect(clean.status, clean.stderr).toBe(0);
    expect(clean.stdout).toContain("drift check of production: clean, issue none");
    expect(github.issues).toEqual([]);
  });

  it("opens one issue at the first drift, with the change counts and the preview folded away; exit 1", async () => {
    const drift = await run(255, DRIFTED);
    expect(drift.status, drift.stderr).toBe(1);
    expect(github.issues).toHaveLength(1);
    const [issue] = github.issues;
    expect(issue?.title).toBe("Drift: production no longer matches its Pulumi program");
    expect(issue?.body).toContain(`<!-- ${FIXTURE_PROJECT}:drift stack=production -->`);
    expect(issue?.body).toContain("| 0 | 1 | 0 | 0 | 14 |");
    expect(issue?.body).toContain("<details><summary>Full <code>pulumi preview</code> output</summary>");
  });

  it("updates that issue at the next drift instead of opening another", async () => {
    const again = await run(255, DRIFTED.replace("~ 1 to update", "~ 2 to update"));
    expect(again.status).toBe(1);
    expect(again.stdout).toMatch(/issue updated \(issue #\d+\)/);
    expect(github.issues).toHaveLength(1);
    expect(github.issues[0]?.body).toContain("| 0 | 2 | 0 | 0 | 14 |");
  });

  it("leaves the issue as it is when the preview gave no verdict, in one line, exit 3", async () => {
    const before = JSON.stringify(github.issues);
    const failed = await run(255, "error: failed to load checkpoint: AccessDenied");
    expect(failed.status).toBe(3);
    expect(failed.stderr.trim()).toMatch(/^drift: the preview failed without a verdict \(exit 255\)/);
    expect(JSON.stringify(github.issues)).toBe(before);
  });

  it("closes the issue, saying so, when the stack is clean again", async () => {
    const clean = await run(0, CLEAN);
    expect(clean.status).toBe(0);
    expect(clean.stdout).toMatch(/issue closed \(issue #\d+\)/);
    expect(github.issues[0]?.state).toBe("closed");
    expect(github.comments.at(-1)?.body).toMatch(/found `production` clean again: closing/);
  });
});
