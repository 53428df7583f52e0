// drift.yml's own steps, run as the runner runs them: the preview step's script with a stand-in
// `pulumi` (the real CLI's output and exit codes for "no changes" and "changes") on PATH, then
// the report step against a local stand-in for GitHub's REST API.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type FakeGitHub, startFakeGitHub } from "lambda-stream-kit/testing/github";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { REPO_ROOT } from "./helpers/repo.js";

const FAKE_BIN = fileURLToPath(
  new URL("../../packages/lambda-stream-kit/test/fixtures/bin", import.meta.url),
);
const workflow = parse(readFileSync(join(REPO_ROOT, ".github/workflows/drift.yml"), "utf8")) as {
  jobs: { drift: { steps: { name: string; run?: string; "working-directory"?: string }[] } };
};
const stepRun = (name: string) => {
  const found = workflow.jobs.drift.steps.find((s) => s.name === name);
  if (!found?.run) throw new Error(`drift.yml has no step ${name}`);
  return found;
};

describe("drift.yml, run with a stand-in pulumi and GitHub", () => {
  let github: FakeGitHub;
  beforeAll(async () => {
    github = await startFakeGitHub("acme", "streaming");
  });
  afterAll(() => github.close());

  /** A step's script in bash, without blocking this process: it serves the GitHub stand-in. */
  function bash(script: string, cwd: string, env: NodeJS.ProcessEnv) {
    return new Promise<{ status: number | null; stderr: string }>((resolve) => {
      const child = spawn("bash", ["-e", "-c", script], { cwd, env, stdio: ["ignore", "ignore", "pipe"] });
      let stderr = "";
      child.stderr.on("data", (data) => {
        stderr += data;
      });
      child.on("close", (status) => resolve({ status, stderr }));
    });
  }

  /** The preview step, then the report step, with production drifted by `drift` resources. */
  async function night(stackState: Record<string, unknown>) {
    const temp = mkdtempSync(join(tmpdir(), "drift-run-"));
    const state = join(temp, "state.json");
    writeFileSync(state, JSON.stringify({ stacks: { production: { resources: 15, ...stackState } } }));
    const output = join(temp, "github-output");
    writeFileSync(output, "");
    const env = {
      ...process.env,
      PATH: `${FAKE_BIN}${delimiter}${process.env.PATH}`,
      FAKE_PULUMI_STATE: state,
      RUNNER_TEMP: temp,
      GITHUB_OUTPUT: output,
      STACK: "production",
    };
    const preview = stepRun("Preview production with a refresh, expecting no changes");
    const ran = spawnSync("bash", ["-e", "-c", preview.run as string], {
      cwd: join(REPO_ROOT, preview["working-directory"] ?? "."),
      env,
      encoding: "utf8",
    });
    expect(ran.status, ran.stderr).toBe(0);
    const exitCode = /exit-code=(\d+)/.exec(readFileSync(output, "utf8"))?.[1] ?? "";
    const report = await bash(stepRun("Open, update or close the drift issue").run as string, REPO_ROOT, {
      ...env,
      EXIT_CODE: exitCode,
      GITHUB_TOKEN: "t",
      GITHUB_API_URL: github.url,
      GITHUB_REPOSITORY: "acme/streaming",
      GITHUB_SERVER_URL: "https://github.com",
      GITHUB_RUN_ID: "7",
    });
    return { exitCode, report };
  }

  it("opens the drift issue when production drifted, and the job fails", async () => {
    const { exitCode, report } = await night({ drift: 1 });
    expect(exitCode).toBe("255");
    expect(report.status, report.stderr).toBe(1);
    expect(github.issues.filter((i) => i.state === "open")).toHaveLength(1);
    expect(github.issues[0]?.body).toContain("| 0 | 1 | 0 | 0 | 14 |");
  });

  it("leaves the issue alone when the preview could not run, and the job fails", async () => {
    const { report } = await night({ denied: true });
    expect(report.status).toBe(3);
    expect(github.issues.filter((i) => i.state === "open")).toHaveLength(1);
  });

  it("closes it when production is clean again", async () => {
    const { exitCode, report } = await night({});
    expect(exitCode).toBe("0");
    expect(report.status, report.stderr).toBe(0);
    expect(github.issues.filter((i) => i.state === "open")).toHaveLength(0);
  });
});
