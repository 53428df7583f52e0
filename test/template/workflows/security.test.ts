import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ACTION_PINS } from "../../../packages/lambda-stream-kit/src/workflows/pins.js";
import { REPO_ROOT } from "../helpers/repo.js";

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
  if?: string;
  shell?: string;
}
interface Job {
  name?: string;
  if?: string;
  concurrency?: { group: string; "cancel-in-progress": boolean; queue?: string };
  permissions?: Record<string, string> | string;
  steps: Step[];
  environment?: string;
}
interface Workflow {
  name: string;
  on: Record<string, unknown>;
  permissions: unknown;
  concurrency?: { group: string; "cancel-in-progress": boolean; queue?: string };
  jobs: Record<string, Job>;
}

const dir = join(REPO_ROOT, ".github/workflows");
const sources = Object.fromEntries(
  readdirSync(dir)
    .filter((f) => f.endsWith(".yml"))
    .map((f) => [f, readFileSync(join(dir, f), "utf8")]),
);
const workflows = Object.fromEntries(
  Object.entries(sources).map(([f, text]) => [f, parse(text) as Workflow]),
);
const actionSource = readFileSync(join(REPO_ROOT, ".github/actions/setup/action.yml"), "utf8");
const action = parse(actionSource) as { runs: { using: string; steps: Step[] } };
const allSteps = [
  ...Object.entries(workflows).flatMap(([file, wf]) =>
    Object.values(wf.jobs).flatMap((job) => job.steps.map((step) => ({ file, step }))),
  ),
  ...action.runs.steps.map((step) => ({ file: "actions/setup/action.yml", step })),
];
const CLOUD_SETUP = "./.github/actions/setup";
const usesCloud = (job: Job) => job.steps.some((step) => step.uses === CLOUD_SETUP);
const permissionsOf = (job: Job) => (typeof job.permissions === "object" ? job.permissions : {});
// Contexts an attacker can write: branch names, titles, bodies, commit messages, inputs.
const UNTRUSTED =
  /github\.(head_ref|event\.(ref|pull_request|issue|comment|review|head_commit|commits|inputs))|inputs\./;

describe("workflow security rules", () => {
  it("every workflow starts with a comment saying why it exists", () => {
    for (const [file, text] of Object.entries(sources)) expect(text.startsWith("# "), file).toBe(true);
  });

  it("grants nothing at the top (permissions: {}) and sets permissions on every job", () => {
    for (const [file, wf] of Object.entries(workflows)) {
      expect(wf.permissions, file).toEqual({});
      for (const [id, job] of Object.entries(wf.jobs)) expect(job.permissions, `${file} ${id}`).toBeDefined();
    }
  });

  it("gives id-token: write exactly to the jobs that assume the AWS role, each with a comment", () => {
    for (const [file, wf] of Object.entries(workflows)) {
      for (const [id, job] of Object.entries(wf.jobs)) {
        expect(permissionsOf(job)["id-token"] === "write", `${file} ${id}`).toBe(usesCloud(job));
      }
    }
    for (const [file, text] of Object.entries(sources)) {
      for (const line of text.split("\n").filter((l) => /id-token:\s*write/.test(l))) {
        expect(line, file).toMatch(/id-token: write # \S/);
      }
    }
  });

  it("gives pull-requests: write only to jobs that write the PR comment", () => {
    for (const [file, wf] of Object.entries(workflows)) {
      for (const [id, job] of Object.entries(wf.jobs)) {
        const comments = job.steps.some((step) => step.run?.includes("pr:comment"));
        expect(permissionsOf(job)["pull-requests"] === "write", `${file} ${id}`).toBe(comments);
      }
    }
  });

  it("pins every third-party action to the full SHA in the pin table, with its version as a comment", () => {
    const usesLines = [...Object.values(sources), actionSource].flatMap((text) =>
      text.split("\n").filter((line) => /^\s*(- )?uses:/.test(line)),
    );
    expect(usesLines.length).toBeGreaterThan(10);
    for (const line of usesLines) {
      const value = line.replace(/^\s*(- )?uses:\s*/, "");
      if (value.startsWith("./")) continue;
      const match = /^([\w.-]+\/[\w.-]+)@([0-9a-f]{40}) # (v\d+\.\d+\.\d+)$/.exec(value);
      expect(match, line).not.toBeNull();
      const [, repo, sha, version] = match as RegExpExecArray;
      expect(ACTION_PINS[repo as string], line).toEqual({ version, sha });
    }
  });

  it("checks out without persisting credentials", () => {
    const checkouts = allSteps.filter(({ step }) => step.uses?.startsWith("actions/checkout@"));
    expect(checkouts.length).toBeGreaterThanOrEqual(4);
    for (const { file, step } of checkouts) expect(step.with?.["persist-credentials"], file).toBe(false);
  });

  it("never expands an expression inside run: (values reach scripts through env)", () => {
    for (const { file, step } of allSteps) {
      if (step.run) expect(step.run, `${file}: ${step.name}`).not.toContain("${{");
    }
  });

  it("passes untrusted context only through env or with:, never into run: or if: of a shell", () => {
    for (const { file, step } of allSteps) {
      expect(step.run ?? "", `${file}: ${step.name}`).not.toMatch(UNTRUSTED);
    }
  });

  it("names every step, and sets a shell on every run step of the composite action", () => {
    for (const { file, step } of allSteps)
      expect(step.name, `${file}: ${JSON.stringify(step).slice(0, 80)}`).toBeTruthy();
    expect(action.runs.using).toBe("composite");
    for (const step of action.runs.steps.filter((s) => s.run)) expect(step.shell, step.name).toBe("bash");
  });

  it("runs every cloud job in an environment, so each tier's Pulumi credentials can live in its own", () => {
    // Environment secrets and variables override the repository's (GitHub's "Using environments
    // for deployment"): PULUMI_ACCESS_TOKEN or PULUMI_TOKEN_TYPE/SCOPE set in `production` reach
    // production's jobs only, and every branch job reads `preview`'s.
    for (const [file, wf] of Object.entries(workflows)) {
      for (const [id, job] of Object.entries(wf.jobs)) {
        if (!usesCloud(job)) continue;
        const raw = (job as { environment?: unknown }).environment;
        const environment = String(
          (typeof raw === "object" && raw ? (raw as { name?: unknown }).name : raw) ?? "",
        );
        // The drift check has its own environment (and role): read-only on production.
        expect(environment, `${file} ${id}`).toMatch(file === "drift.yml" ? /^drift$/ : /preview/);
      }
    }
  });

  it("never uses pull_request_target", () => {
    for (const [file, text] of Object.entries(sources))
      expect(text, file).not.toContain("pull_request_target");
  });

  it("serialises deploy and teardown per branch at job level, never cancelling", () => {
    const pipeline = workflows["deploy.yml"]?.jobs.pipeline?.concurrency;
    const teardown = workflows["teardown.yml"]?.jobs.teardown?.concurrency;
    expect(pipeline?.["cancel-in-progress"]).toBe(false);
    expect(teardown?.["cancel-in-progress"]).toBe(false);
    // First in first out, one setting for the shared group: a deploy never replaces a
    // waiting teardown (GitHub documents no behaviour for a group with mixed settings).
    expect(pipeline?.queue).toBe("max");
    expect(teardown?.queue).toBe("max");
    // Job level, after the job's `if:`: a fork's or a skipped run never enters a branch's group.
    expect(workflows["deploy.yml"]?.concurrency).toBeUndefined();
    expect(workflows["teardown.yml"]?.concurrency).toBeUndefined();
    expect(workflows["janitor.yml"]?.concurrency?.["cancel-in-progress"]).toBe(false);
  });

  it("keeps forks (and Dependabot) away from every cloud job a pull request can start", () => {
    const forkGuard = "github.event.pull_request.head.repo.full_name == github.repository";
    for (const [file, wf] of Object.entries(workflows)) {
      if (!("pull_request" in wf.on)) continue;
      for (const [id, job] of Object.entries(wf.jobs)) {
        if (usesCloud(job)) expect(job.if, `${file} ${id}`).toContain(forkGuard);
      }
    }
    for (const [file, job] of [
      ["deploy.yml", "pipeline"],
      ["teardown.yml", "teardown"],
    ] as const) {
      expect(workflows[file]?.jobs[job]?.if).toContain(
        "github.event.pull_request.user.login != 'dependabot[bot]'",
      );
    }
  });

  it("gates CI on one status that needs every other job of ci.yml, each to succeed", () => {
    const jobs = workflows["ci.yml"]?.jobs ?? {};
    const gate = jobs["all-checks-passed"] as Job & { needs: string[]; env?: Record<string, string> };
    const others = Object.keys(jobs).filter((id) => id !== "all-checks-passed");
    expect(others).toEqual(["check"]);
    expect(gate.needs).toEqual(others);
    const step = gate.steps[0] as Step & { env: Record<string, string>; run: string };
    // Each result reaches the test through its own variable, and each variable is tested.
    for (const id of others) {
      const name = Object.entries(step.env).find(([, value]) => value === `\${{ needs.${id}.result }}`)?.[0];
      expect(name, id).toBeDefined();
      expect(step.run).toContain(`test "$${name}" = success`);
    }
    // The gate script: the three suites as the README runs them (the copies are in test:template).
    expect(jobs.check?.steps.at(-1)?.run).toBe("bash .ci/run");
  });

  it("triggers each workflow as specified", () => {
    const on = (file: string) => workflows[file]?.on as Record<string, Record<string, unknown> | null>;
    expect(Object.keys(on("ci.yml"))).toEqual(["pull_request", "push", "merge_group"]);
    expect(Object.keys(on("deploy.yml"))).toEqual(["pull_request", "push", "workflow_dispatch"]);
    expect(on("deploy.yml").pull_request).toEqual({ types: ["opened", "synchronize", "reopened"] });
    expect(Object.keys(on("deploy.yml").workflow_dispatch?.inputs as object)).toEqual(["branch"]);
    expect(on("teardown.yml").pull_request).toEqual({ types: ["closed"] });
    expect(on("teardown.yml").delete).toBeNull();
    expect(Object.keys(on("teardown.yml").workflow_dispatch?.inputs as object)).toEqual([
      "branch",
      "confirm",
    ]);
    expect(workflows["teardown.yml"]?.jobs.teardown?.if).toContain("github.event.ref_type == 'branch'");
    expect(Object.keys(on("janitor.yml"))).toEqual(["schedule", "workflow_dispatch"]);
    const janitorInputs = on("janitor.yml").workflow_dispatch?.inputs as
      | Record<string, { default: unknown }>
      | undefined;
    expect(janitorInputs?.apply?.default).toBe(false);
  });

  it("installs only production dependencies in cloud jobs (no native build there)", () => {
    const install = action.runs.steps.find((step) => step.run?.startsWith("npm ci"));
    expect(install?.run).toContain("--omit=dev");
  });

  it("calls only npm scripts that exist", () => {
    const scripts = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")).scripts as Record<
      string,
      string
    >;
    for (const { step } of allSteps) {
      for (const match of (step.run ?? "").matchAll(/npm run (?:--silent )?([\w:-]+)/g)) {
        expect(scripts, match[1]).toHaveProperty(match[1] as string);
      }
    }
  });
});
