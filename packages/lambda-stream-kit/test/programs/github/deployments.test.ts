// Deployments you can click, against a local stand-in for GitHub's REST API that applies
// auto_inactive as GitHub documents it: one branch's deploy never kills another's link.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeGitHub, startFakeGitHub } from "../../../src/testing/github-api.js";
import { runScript } from "../../helpers/process.js";

describe("a branch stack's deployments", () => {
  let github: FakeGitHub;
  const run = (args: string[]) =>
    runScript("deployments.ts", args, {
      GITHUB_API_URL: github.url,
      GITHUB_REPOSITORY: "acme/streaming",
      GITHUB_TOKEN: "t",
      GITHUB_SERVER_URL: "https://github.com",
      GITHUB_RUN_ID: "5",
    });
  const latest = (environment: string) =>
    github.deployments.filter((d) => d.environment === environment).map((d) => d.statuses.at(-1)?.state);
  beforeAll(async () => {
    github = await startFakeGitHub("acme", "streaming");
    // The job's own deployment in the shared environment, as GitHub makes one for `environment: preview`.
    github.deployments.push({
      id: 1,
      environment: "preview",
      sha: "job",
      statuses: [{ state: "success", description: "" }],
    });
  });
  afterAll(() => github.close());

  it("records each branch's deploy in an environment of its own, with its URL, leaving the others' links alone", async () => {
    const a = await run(["record", "--stack", "pr-7", "--sha", "aaa", "--url", "https://a.on.aws/"]);
    expect(a.status, a.stderr).toBe(0);
    expect(a.stdout).toMatch(/deployment \d+ of preview\/pr-7: https:\/\/a\.on\.aws\//);
    const b = await run(["record", "--stack", "pr-8", "--sha", "bbb", "--url", "https://b.on.aws/"]);
    expect(b.status, b.stderr).toBe(0);
    expect(latest("preview/pr-7")).toEqual(["success"]);
    expect(latest("preview/pr-8")).toEqual(["success"]);
    expect(
      github.deployments.find((d) => d.environment === "preview/pr-7")?.statuses[0]?.environment_url,
    ).toBe("https://a.on.aws/");
    const created = github.deployments.find((d) => d.environment === "preview/pr-8");
    expect(created).toMatchObject({ transient: true, production: false, sha: "bbb" });
    // The shared environment's job deployment is untouched.
    expect(latest("preview")).toEqual(["success"]);
  });

  it("marks the branch's earlier deployment inactive at its next deploy", async () => {
    const again = await run(["record", "--stack", "pr-7", "--sha", "ccc", "--url", "https://a2.on.aws/"]);
    expect(again.status).toBe(0);
    expect(latest("preview/pr-7")).toEqual(["inactive", "success"]);
    expect(latest("preview/pr-8")).toEqual(["success"]);
  });

  it("marks every deployment of a torn-down branch inactive, and only that branch's", async () => {
    const gone = await run(["deactivate", "--stack", "pr-7"]);
    expect(gone.status).toBe(0);
    expect(gone.stdout).toContain("1 deployment(s) of preview/pr-7 marked inactive");
    expect(latest("preview/pr-7")).toEqual(["inactive", "inactive"]);
    expect(latest("preview/pr-8")).toEqual(["success"]);
    // Idempotent: a second teardown finds nothing active.
    expect((await run(["deactivate", "--stack", "pr-7"])).stdout).toContain("0 deployment(s)");
  });

  it("names the first streaming row's URL as the environment's link", async () => {
    const url = await run(["url", "--urls-json", '{"buffer":"https://b/","stream":"https://s/"}']);
    expect(url.status).toBe(0);
    expect(url.stdout.trim()).toBe("https://s/");
  });

  it("refuses a missing action or argument in one line, exit 2", async () => {
    const none = await run(["record", "--stack", "pr-7"]);
    expect(none.status).toBe(2);
    expect(none.stderr.trim()).toBe("deployments: record needs --sha and --url (see --help)");
  });
});
