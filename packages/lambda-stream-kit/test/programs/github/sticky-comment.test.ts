import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Octokit } from "@octokit/rest";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  GITHUB_COMMENT_LIMIT,
  parseSections,
  renderComment,
  upsertSection,
} from "../../../src/github/sticky-comment.js";
import { type FakeGitHub, startFakeGitHub } from "../../../src/testing/github-api.js";
import { runScript } from "../../helpers/process.js";

let github: FakeGitHub;
let octokit: Octokit;
const target = { owner: "acme", repo: "streaming", issueNumber: 7, stack: "pr-7", project: "kit-fixture" };

beforeAll(async () => {
  github = await startFakeGitHub("acme", "streaming");
  octokit = new Octokit({ auth: "test-token", baseUrl: github.url });
});
afterAll(async () => {
  await github.close();
});
beforeEach(() => {
  github.comments.length = 0;
  github.requests.length = 0;
  github.pulls.length = 0;
  github.readOnly = false;
  github.listDelayMs = 0;
});

describe("sticky PR comment", () => {
  it("creates the comment once, then updates the same one section by section", async () => {
    const first = await upsertSection(octokit, target, "preview", "### Preview\n3 to create");
    expect(first.action).toBe("created");
    const second = await upsertSection(octokit, target, "deploy", "### Deploy\ndeployed");
    expect(second).toMatchObject({ action: "updated", commentId: first.commentId });
    const third = await upsertSection(octokit, target, "preview", "### Preview\nno changes");
    expect(third.action).toBe("updated");
    expect(github.comments).toHaveLength(1);
    const sections = parseSections(github.comments[0]?.body ?? "");
    expect(sections).toEqual({ preview: "### Preview\nno changes", deploy: "### Deploy\ndeployed" });
    // Stage order, whatever the order of the updates.
    const body = github.comments[0]?.body ?? "";
    expect(body.indexOf("section:preview")).toBeLessThan(body.indexOf("section:deploy"));
  });

  it("loses no section and leaves one comment when two writers race on a new PR", async () => {
    // Both list before either writes: without the re-read each would create its own comment.
    github.listDelayMs = 40;
    const noPause = async () => {};
    const [a, b] = await Promise.all([
      upsertSection(octokit, target, "preview", "### Preview\nno changes", noPause),
      upsertSection(octokit, target, "teardown", "### Teardown\ndestroyed", noPause),
    ]);
    expect(github.comments).toHaveLength(1);
    expect(parseSections(github.comments[0]?.body ?? "")).toEqual({
      preview: "### Preview\nno changes",
      teardown: "### Teardown\ndestroyed",
    });
    expect(Math.max(a.attempts, b.attempts)).toBeGreaterThan(1);
  });

  it("merges a duplicate comment left by an earlier race into the oldest, and deletes it", async () => {
    github.comments.push(
      { id: 10, issue: 7, body: renderComment("pr-7", { preview: "p" }, "kit-fixture") },
      { id: 11, issue: 7, body: renderComment("pr-7", { deploy: "d" }, "kit-fixture") },
    );
    const result = await upsertSection(octokit, target, "check", "c");
    expect(result.commentId).toBe(10);
    expect(github.comments.map((c) => c.id)).toEqual([10]);
    expect(parseSections(github.comments[0]?.body ?? "")).toEqual({ preview: "p", deploy: "d", check: "c" });
  });

  it("gives up after a bounded number of rounds with a message naming the fix", async () => {
    // A writer that always loses: every read shows a comment without its section.
    const stubborn = {
      paginate: async () => [
        { id: 1, body: renderComment("pr-7", { deploy: "someone else" }, "kit-fixture") },
      ],
      rest: {
        issues: {
          updateComment: async () => ({}),
          deleteComment: async () => ({}),
          createComment: async () => ({}),
        },
      },
    } as unknown as Octokit;
    await expect(upsertSection(stubborn, target, "preview", "mine", async () => {})).rejects.toThrow(
      /could not keep the preview section in the sticky comment of #7 after 4 attempts/,
    );
  });

  it("keeps one comment per stack on the same PR", async () => {
    await upsertSection(octokit, target, "preview", "a");
    await upsertSection(octokit, { ...target, stack: "other" }, "preview", "b");
    expect(github.comments).toHaveLength(2);
  });

  it("finds its comment on page 3 of a busy PR (past the first 30 and the first 100)", async () => {
    for (let i = 0; i < 230; i++) github.comments.push({ id: i + 1, issue: 7, body: `chatter ${i}` });
    github.comments.push({
      id: 999,
      issue: 7,
      body: renderComment("pr-7", { preview: "old preview" }, "kit-fixture"),
    });
    for (let i = 0; i < 20; i++) github.comments.push({ id: 2000 + i, issue: 7, body: `more chatter ${i}` });
    const result = await upsertSection(octokit, target, "check", "### Stream check: ✅ passed");
    expect(result).toMatchObject({ action: "updated", commentId: 999 });
    expect(github.comments.filter((c) => c.body.includes("kit-fixture:sticky"))).toHaveLength(1);
    expect(
      github.requests.filter((r) => r.method === "GET" && r.path.includes("/comments")).map((r) => r.path),
    ).toEqual(
      // Read, write, then read again to verify.
      [1, 2].flatMap(() => [
        "/repos/acme/streaming/issues/7/comments?per_page=100",
        "/repos/acme/streaming/issues/7/comments?per_page=100&page=2",
        "/repos/acme/streaming/issues/7/comments?per_page=100&page=3",
      ]),
    );
    expect(parseSections(github.comments.find((c) => c.id === 999)?.body ?? "")).toEqual({
      preview: "old preview",
      check: "### Stream check: ✅ passed",
    });
  });

  it("trims the longest section, with a note, to stay under GitHub's 65,536-character limit", async () => {
    const huge = `### Preview\n\n\`\`\`\n${"+ aws:lambda/function:Function update\n".repeat(3000)}\`\`\``;
    expect(huge.length).toBeGreaterThan(GITHUB_COMMENT_LIMIT);
    await upsertSection(octokit, target, "deploy", "### Deploy\nok");
    const result = await upsertSection(octokit, target, "preview", huge);
    expect(result.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    const sections = parseSections(github.comments[0]?.body ?? "");
    expect(sections.deploy).toBe("### Deploy\nok");
    expect(sections.preview).toContain("Trimmed to fit GitHub's 65,536-character comment limit");
    expect((sections.preview?.match(/```/g) ?? []).length % 2).toBe(0);
  });
});

describe("pr-comment.ts", () => {
  const dir = mkdtempSync(join(tmpdir(), "pr-comment-"));
  const run = (args: string[], env: Record<string, string> = {}) =>
    runScript("pr-comment.ts", args, {
      GITHUB_API_URL: github.url,
      GITHUB_REPOSITORY: "acme/streaming",
      GITHUB_TOKEN: "test-token",
      GITHUB_SERVER_URL: "https://github.com",
      GITHUB_RUN_ID: "42",
      ...env,
    });

  it("writes the preview section from pulumi's output, with change counts and the full output folded", async () => {
    const output = join(dir, "preview.txt");
    writeFileSync(
      output,
      "Previewing update (pr-7)\n\n +  aws:lambda/function:Function streaming-function create\n\nResources:\n    + 12 to create\n    ~ 1 to update\n    13 changes. 2 unchanged\n",
    );
    const result = await run([
      "preview",
      "--stack",
      "pr-7",
      "--pr",
      "7",
      "--status",
      "success",
      "--pulumi-output",
      output,
    ]);
    expect(result.status).toBe(0);
    const body = github.comments[0]?.body ?? "";
    expect(body).toContain("### 🔍 Preview: 13 changes");
    expect(body).toContain("| 12 | 1 | 0 | 0 | 2 |");
    expect(body).toMatch(
      /<details><summary>Full <code>pulumi preview<\/code> output<\/summary>[\s\S]*Previewing update \(pr-7\)/,
    );
    expect(body).toContain("[this run](https://github.com/acme/streaming/actions/runs/42)");
  });

  it("reports a failed preview as failed, never as 'no changes', and leaves a cancelled one as it was", async () => {
    const empty = join(dir, "empty.txt");
    // pulumi/actions leaves `output` empty when the command fails: what the workflow then writes.
    writeFileSync(empty, "\n");
    const args = (status: string) => [
      "preview",
      "--stack",
      "pr-7",
      "--pr",
      "7",
      "--status",
      status,
      "--pulumi-output",
      empty,
    ];
    expect((await run(args("failure"))).status).toBe(0);
    const failed = parseSections(github.comments[0]?.body ?? "").preview ?? "";
    expect(failed).toContain("### 🔍 Preview: ❌ failed");
    expect(failed).toContain("[this run](https://github.com/acme/streaming/actions/runs/42)");
    expect(failed).not.toContain("no changes");
    const cancelled = await run(args("cancelled"));
    expect(cancelled.status).toBe(0);
    expect(cancelled.stdout).toContain("left as it was");
    expect(parseSections(github.comments[0]?.body ?? "").preview).toBe(failed);
    expect((await run(["preview", "--stack", "pr-7", "--pr", "7", "--pulumi-output", empty])).status).toBe(2);
  });

  it("finds the PR by branch for push-triggered stages, and does nothing when there is none", async () => {
    github.pulls.push({ number: 7, head: "feature/x" });
    const deployed = await run([
      "deploy",
      "--stack",
      "feature-x-1",
      "--branch",
      "feature/x",
      "--status",
      "success",
      "--urls-json",
      JSON.stringify({
        stream: "https://s.lambda-url.us-east-1.on.aws/",
        buffer: "https://b.lambda-url.us-east-1.on.aws/",
      }),
    ]);
    expect(deployed.status).toBe(0);
    expect(github.comments[0]?.issue).toBe(7);
    expect(github.comments[0]?.body).toContain("curl -N https://s.lambda-url.us-east-1.on.aws/");
    expect(github.comments[0]?.body).toContain(
      "| buffer | Function URL | https://b.lambda-url.us-east-1.on.aws/ | BUFFERED |",
    );
    const none = await run(["teardown", "--stack", "x", "--branch", "no-pr", "--status", "destroyed"]);
    expect(none.status).toBe(0);
    expect(none.stdout).toContain("no open pull request for branch no-pr");
    expect(github.comments).toHaveLength(1);
  });

  it("refuses a malformed urls output in the check's words, before any request", async () => {
    const deploy = (urls: string) =>
      run(["deploy", "--stack", "pr-7", "--branch", "feature/x", "--status", "success", "--urls-json", urls]);
    const cases: [string, RegExp][] = [
      ["{not json", /--urls-json is not JSON: pass the stack's urls output/],
      ['["https://x/"]', /--urls-json must be an object of function name to URL/],
      ['{"stream":1}', /--urls-json stream: expected a URL string, got 1/],
    ];
    for (const [urls, message] of cases) {
      const result = await deploy(urls);
      expect(result.status, result.stderr).toBe(2);
      expect(result.stderr.trim().split("\n")).toHaveLength(1);
      expect(result.stderr).toMatch(message);
    }
    expect(github.requests).toEqual([]);
  });

  it("explains a 403 (a fork's read-only token) in one line and exits 3", async () => {
    github.readOnly = true;
    const result = await run(["teardown", "--stack", "x", "--pr", "7", "--status", "destroyed"]);
    expect(result.status).toBe(3);
    expect(result.stderr.trim().split("\n"), result.stderr).toHaveLength(1);
    expect(result.stderr).toContain(
      'GitHub answered 403 writing the comment: the job needs "permissions: pull-requests: write"',
    );
  });

  it.each([
    [["bogus", "--stack", "x", "--pr", "1"], /expected one section name/],
    [["deploy", "--pr", "1", "--status", "success"], /--stack is required/],
    [
      ["deploy", "--stack", "x", "--pr", "1", "--status", "maybe"],
      /deploy needs --status success\|failure\|cancelled/,
    ],
    [["check", "--stack", "x", "--pr", "1", "--markdown", "/nonexistent.md"], /cannot read the file/],
  ])("%j is a usage error: exit 2", async (args, message) => {
    const result = await run(args);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it("needs GitHub's environment", async () => {
    const result = await run(["preview", "--stack", "x", "--pr", "1"], { GITHUB_TOKEN: "" });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("GITHUB_TOKEN is not set");
  });
});
