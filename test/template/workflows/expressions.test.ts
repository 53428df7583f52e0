import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { REPO_ROOT } from "../helpers/repo.js";
import {
  type Contexts,
  examplePayload,
  githubContext,
  ifHolds,
  type Payload,
  renderTemplate,
} from "../helpers/workflow-expressions.js";

// Evaluated with GitHub's own expression evaluator (@actions/expressions) over GitHub's own
// example payloads (@octokit/webhooks-examples): the workflows' real expressions, per event.

interface Step {
  name?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
}
interface Job {
  if?: string;
  /** A name, or GitHub's `{ name, url }` form. */
  environment?: string | { name: string; url?: string };
  concurrency?: { group: string };
  steps: Step[];
}
const workflow = (file: string) =>
  parse(readFileSync(join(REPO_ROOT, ".github/workflows", file), "utf8")) as { jobs: Record<string, Job> };
const deploy = workflow("deploy.yml").jobs;
const teardown = workflow("teardown.yml").jobs;
const janitor = workflow("janitor.yml").jobs;
const drift = workflow("drift.yml").jobs;
const ciWorkflow = parse(readFileSync(join(REPO_ROOT, ".github/workflows/ci.yml"), "utf8")) as {
  on: Record<string, unknown>;
  concurrency: { group: string };
};
const step = (job: Job | undefined, name: string) => {
  const found = job?.steps.find((s) => s.name === name);
  if (!found) throw new Error(`no step named ${name}`);
  return found;
};

// The examples' repository; their pull requests come from its branch `changes`.
const REPO = { fullName: "Codertocat/Hello-World", defaultBranch: "master" };
const BRANCH = "changes";
const VARS = {
  AWS_ROLE_ARN: "arn:aws:iam::123456789012:role/github-deploy-lambda-streaming-branches",
  AWS_PRODUCTION_ROLE_ARN: "arn:aws:iam::123456789012:role/github-deploy-lambda-streaming-production",
  AWS_REGION: "eu-west-1",
  PERMISSIONS_BOUNDARY_ARN: "arn:aws:iam::123456789012:policy/lambda-streaming-function-boundary",
  PRODUCTION_PERMISSIONS_BOUNDARY_ARN:
    "arn:aws:iam::123456789012:policy/lambda-streaming-production-function-boundary",
};

function run(event: string, payload: Payload, extra: Partial<Contexts> = {}): Contexts {
  const inputs = (payload.inputs as Record<string, unknown> | undefined) ?? {};
  return { github: githubContext(event, payload, REPO), inputs, vars: VARS, ...extra };
}
const pr = (action: string) => run("pull_request", examplePayload("pull_request", action));
/** GitHub's examples only delete a tag; a branch deletion differs in ref_type and ref (GitHub's webhook docs). */
const deleteBranch = (branch: string) => {
  const payload = examplePayload("delete");
  payload.ref_type = "branch";
  payload.ref = branch;
  return run("delete", payload);
};
const dispatch = (inputs: Record<string, string>) => {
  const payload = examplePayload("workflow_dispatch", undefined, (p) => p.ref === "refs/heads/master");
  payload.inputs = inputs;
  return run("workflow_dispatch", payload);
};
const pushDefault = () =>
  run(
    "push",
    examplePayload("push", undefined, (p) => p.ref === "refs/heads/master"),
  );
const environmentName = (job: Job | undefined) =>
  typeof job?.environment === "object" ? job.environment.name : (job?.environment ?? "");
const group = (job: Job | undefined, contexts: Contexts) =>
  renderTemplate(job?.concurrency?.group ?? "", contexts);

describe("concurrency: one group per branch for every deploy and teardown trigger", () => {
  const deployGroup = group(deploy.pipeline, pr("synchronize"));

  it("names the branch of the pull request", () => {
    expect(deployGroup).toBe(`pulumi-${BRANCH}`);
    for (const action of ["opened", "reopened"]) expect(group(deploy.pipeline, pr(action))).toBe(deployGroup);
    expect(group(deploy.pipeline, dispatch({ branch: BRANCH }))).toBe(deployGroup);
  });

  it.each([
    ["the pull request closing", () => pr("closed")],
    ["the branch being deleted", () => deleteBranch(BRANCH)],
    ["a manual teardown", () => dispatch({ branch: BRANCH, confirm: "" })],
  ])("puts the teardown for %s in the branch's deploy group", (_, contexts) => {
    expect(group(teardown.teardown, contexts())).toBe(deployGroup);
  });

  it("puts the Teardown the janitor dispatches for a branch in that branch's deploy group", () => {
    // The janitor's dispatch: ref = the default branch, inputs.branch = the stack's branch.
    const janitorDispatch = dispatch({ branch: BRANCH });
    expect(ifHolds(teardown.teardown?.if, janitorDispatch)).toBe(true);
    expect(group(teardown.teardown, janitorDispatch)).toBe(deployGroup);
  });

  it("puts the default branch's push deploy and its manual teardown in one group", () => {
    expect(group(deploy.pipeline, pushDefault())).toBe("pulumi-master");
    expect(group(teardown.teardown, dispatch({ branch: "master", confirm: "production" }))).toBe(
      "pulumi-master",
    );
  });
});

describe("which jobs run", () => {
  const fork = () => {
    const contexts = pr("synchronize");
    const event = contexts.github.event as Payload;
    if (event.pull_request?.head.repo) event.pull_request.head.repo.full_name = "someone/Hello-World";
    return { ...contexts, github: githubContext("pull_request", event, REPO) };
  };

  it("runs the pipeline for a pull request, a default-branch push and a dispatch", () => {
    for (const contexts of [
      pr("opened"),
      pr("synchronize"),
      pr("reopened"),
      pushDefault(),
      dispatch({ branch: BRANCH }),
    ])
      expect(ifHolds(deploy.pipeline?.if, contexts)).toBe(true);
  });

  it("keeps forks and Dependabot out of the pipeline, and tells forks why", () => {
    expect(ifHolds(deploy.pipeline?.if, fork())).toBe(false);
    expect(ifHolds(deploy.fork?.if, fork())).toBe(true);
    expect(ifHolds(deploy.fork?.if, pr("synchronize"))).toBe(false);
  });

  // Keyed on the pull request's author: a person pushing to a Dependabot branch is the actor,
  // and a stack made then would never be torn down by a teardown that skips Dependabot's PRs.
  const byDependabot = (action: string, actor: string) => {
    const contexts = pr(action);
    const event = contexts.github.event as Payload & { pull_request?: { user?: { login?: string } } };
    if (event.pull_request)
      event.pull_request.user = { ...event.pull_request.user, login: "dependabot[bot]" };
    const github = githubContext("pull_request", event, REPO);
    return { ...contexts, github: { ...github, actor } };
  };

  it.each(["dependabot[bot]", "octocat"])(
    "neither deploys nor tears down Dependabot's pull requests, whoever pushed (actor %s)",
    (actor) => {
      expect(ifHolds(deploy.pipeline?.if, byDependabot("synchronize", actor))).toBe(false);
      expect(ifHolds(teardown.teardown?.if, byDependabot("closed", actor))).toBe(false);
      // A person's own pull request, with Dependabot as the actor of the event, still deploys.
      const own = pr("synchronize");
      expect(ifHolds(deploy.pipeline?.if, { ...own, github: { ...own.github, actor } })).toBe(true);
    },
  );

  it("skips every cloud job of a repository with no variables yet, and says so", () => {
    // A repository created from the template runs its push workflows before any variable exists.
    const fresh = { ...pushDefault(), vars: {} };
    expect(ifHolds(deploy.pipeline?.if, fresh)).toBe(false);
    expect(ifHolds(deploy["not-configured"]?.if, fresh)).toBe(true);
    expect(ifHolds(deploy["not-configured"]?.if, pushDefault())).toBe(false);
    expect(ifHolds(teardown.teardown?.if, { ...pr("closed"), vars: {} })).toBe(false);
    expect(ifHolds(janitor.janitor?.if, { ...run("schedule", { schedule: "17 3 * * *" }), vars: {} })).toBe(
      false,
    );
  });

  it("tears down for a closed pull request, a deleted branch and a dispatch, never for a tag or a fork", () => {
    expect(ifHolds(teardown.teardown?.if, pr("closed"))).toBe(true);
    expect(ifHolds(teardown.teardown?.if, deleteBranch(BRANCH))).toBe(true);
    expect(ifHolds(teardown.teardown?.if, dispatch({ branch: BRANCH }))).toBe(true);
    // GitHub's own delete example is a tag.
    expect(ifHolds(teardown.teardown?.if, run("delete", examplePayload("delete")))).toBe(false);
    const closedFork = pr("closed");
    const event = closedFork.github.event as Payload;
    if (event.pull_request?.head.repo) event.pull_request.head.repo.full_name = "someone/Hello-World";
    expect(ifHolds(teardown.teardown?.if, closedFork)).toBe(false);
  });
});

describe("environments and roles", () => {
  const role = (job: Job | undefined, contexts: Contexts) =>
    renderTemplate(step(job, "Set up the cloud job").with?.["aws-role-arn"] ?? "", contexts);
  const environment = (job: Job | undefined, contexts: Contexts) =>
    renderTemplate(environmentName(job), contexts);
  // The state tier follows the role: a branch role's login never names production's path.
  const tier = (job: Job | undefined, contexts: Contexts) =>
    renderTemplate(step(job, "Set up the cloud job").with?.["state-tier"] ?? "", contexts);

  it.each([
    ["a pull request", () => pr("synchronize"), "preview"],
    ["a dispatch of another branch", () => dispatch({ branch: BRANCH }), "preview"],
    ["a push to the default branch", pushDefault, "production"],
    ["a dispatch of the default branch", () => dispatch({ branch: "master" }), "production"],
  ])("deploys %s in %s, with that environment's role", (_, contexts, expected) => {
    expect(environment(deploy.pipeline, contexts())).toBe(expected);
    expect(role(deploy.pipeline, contexts())).toBe(
      expected === "production" ? VARS.AWS_PRODUCTION_ROLE_ARN : VARS.AWS_ROLE_ARN,
    );
    expect(tier(deploy.pipeline, contexts())).toBe(expected === "production" ? "production" : "branches");
    // Its functions carry that tier's boundary.
    expect(
      renderTemplate(step(deploy.pipeline, "Pulumi up").env?.PERMISSIONS_BOUNDARY_ARN ?? "", contexts()),
    ).toBe(
      expected === "production" ? VARS.PRODUCTION_PERMISSIONS_BOUNDARY_ARN : VARS.PERMISSIONS_BOUNDARY_ARN,
    );
  });

  it.each([
    ["a closed pull request", () => pr("closed"), "preview"],
    ["a deleted branch", () => deleteBranch(BRANCH), "preview"],
    ["a dispatch of another branch", () => dispatch({ branch: BRANCH }), "preview"],
    [
      "a dispatch of the default branch",
      () => dispatch({ branch: "master", confirm: "production" }),
      "production",
    ],
  ])("tears down %s in %s, with that environment's role", (_, contexts, expected) => {
    expect(environment(teardown.teardown, contexts())).toBe(expected);
    expect(role(teardown.teardown, contexts())).toBe(
      expected === "production" ? VARS.AWS_PRODUCTION_ROLE_ARN : VARS.AWS_ROLE_ARN,
    );
    expect(tier(teardown.teardown, contexts())).toBe(expected === "production" ? "production" : "branches");
  });

  it("never hands production the branch role when AWS_PRODUCTION_ROLE_ARN is missing", () => {
    const contexts = { ...pushDefault(), vars: { AWS_ROLE_ARN: VARS.AWS_ROLE_ARN } };
    expect(role(deploy.pipeline, contexts)).toBe("repository variable AWS_PRODUCTION_ROLE_ARN is not set");
  });
});

describe("values the steps receive", () => {
  it("checks out the pushed head of a pull request (not its merge commit) and a dispatched branch", () => {
    const contexts = pr("synchronize");
    const head = (contexts.github.event as Payload).pull_request?.head.sha;
    expect(contexts.github.sha).not.toBe(head);
    expect(renderTemplate(step(deploy.pipeline, "Check out").with?.ref ?? "", contexts)).toBe(head);
    expect(
      renderTemplate(step(deploy.pipeline, "Check out").with?.ref ?? "", dispatch({ branch: BRANCH })),
    ).toBe(BRANCH);
  });

  it("names the stack to Pulumi org-qualified (the qualified output) and to the PR comment bare", () => {
    for (const name of ["Pulumi up", "Pulumi preview"]) {
      expect(step(deploy.pipeline, name).with?.["stack-name"]).toBe(
        ["$", "{{ steps.stack.outputs.qualified }}"].join(""),
      );
    }
    expect(step(deploy.pipeline, "Name the stack").env?.PULUMI_ORG).toBe(
      ["$", "{{ vars.PULUMI_ORG }}"].join(""),
    );
  });

  it("records production's cost after its check, and reads it for a pull request's", () => {
    // Status functions are not the library's: always() holds; the check ran (not skipped).
    const holds = (name: string, contexts: Contexts) =>
      ifHolds(
        (step(deploy.pipeline, name) as { if?: string }).if
          ?.replace("always() && ", "")
          .replace("steps.check.outcome != 'skipped' && ", ""),
        contexts,
      );
    expect(holds("Record production's cost", pushDefault())).toBe(true);
    expect(holds("Record production's cost", dispatch({ branch: "master" }))).toBe(true);
    expect(holds("Record production's cost", pr("synchronize"))).toBe(false);
    expect(holds("Record production's cost", dispatch({ branch: BRANCH }))).toBe(false);
    expect(holds("Read production's cost", pr("synchronize"))).toBe(true);
    expect(holds("Read production's cost", pushDefault())).toBe(false);
  });

  it("tags the stack with the commit checked out, whatever the trigger", () => {
    // On a dispatch github.sha is the dispatch ref's head, not the deployed branch's.
    for (const name of ["Pulumi up", "Pulumi preview"]) {
      expect(step(deploy.pipeline, name).env?.STACK_COMMIT).toBe(
        ["$", "{{ steps.stack.outputs.commit }}"].join(""),
      );
    }
    const repo = mkdtempSync(join(tmpdir(), "checkout-"));
    const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, encoding: "utf8" }).trim();
    git("init", "-q", "-b", "feature");
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "--allow-empty", "-m", "head");
    const output = join(repo, "output");
    writeFileSync(output, "");
    // The step's own script, with `npm run stack:name` standing in as a function.
    const script = `npm() { echo feature; }\n${step(deploy.pipeline, "Name the stack").run ?? ""}`;
    execFileSync("bash", ["-eo", "pipefail", "-c", script], {
      cwd: repo,
      env: { PATH: process.env.PATH, GITHUB_OUTPUT: output, BRANCH: "feature", DEFAULT_BRANCH: "main" },
    });
    expect(readFileSync(output, "utf8")).toBe(
      `name=feature\nqualified=feature\ncommit=${git("rev-parse", "HEAD")}\n`,
    );
  });

  it("names the branch's stack from the right branch for every trigger", () => {
    const branch = (contexts: Contexts) =>
      renderTemplate(step(deploy.pipeline, "Name the stack").env?.BRANCH ?? "", contexts);
    expect(branch(pr("synchronize"))).toBe(BRANCH);
    expect(branch(dispatch({ branch: BRANCH }))).toBe(BRANCH);
    expect(branch(pushDefault())).toBe("master");
  });

  it("gives the janitor the default branch on a schedule, whose payload has no repository", () => {
    const value = step(janitor.janitor, "Find and destroy forgotten stacks").env?.DEFAULT_BRANCH ?? "";
    expect(renderTemplate(value, run("schedule", { schedule: "17 3 * * *" }))).toBe("master");
    expect(renderTemplate(value, dispatch({ apply: "false" }))).toBe("master");
  });
});

describe("the setup action", () => {
  const action = parse(readFileSync(join(REPO_ROOT, ".github/actions/setup/action.yml"), "utf8")) as {
    runs: { steps: Step[] };
  };
  const login = action.runs.steps.find((s) => s.name === "Log in to Pulumi Cloud (OIDC)");

  it("requests an organization token by default and the repository's PULUMI_TOKEN_TYPE when set", () => {
    const tokenType = (value: string) =>
      renderTemplate(login?.with?.["requested-token-type"] ?? "", {
        github: {},
        inputs: { "pulumi-token-type": value },
      });
    expect(tokenType("")).toBe("urn:pulumi:token-type:access_token:organization");
    expect(tokenType("urn:pulumi:token-type:access_token:personal")).toBe(
      "urn:pulumi:token-type:access_token:personal",
    );
    for (const job of [deploy.pipeline, teardown.teardown, janitor.janitor]) {
      expect(step(job, "Set up the cloud job").with?.["pulumi-token-type"]).toBe(
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub expression, not a JS template.
        "${{ vars.PULUMI_TOKEN_TYPE }}",
      );
    }
  });
});

describe("the drift check", () => {
  const DRIFT_VARS = {
    ...VARS,
    AWS_DRIFT_ROLE_ARN: "arn:aws:iam::123456789012:role/github-drift-lambda-streaming",
  };
  const schedule = () => ({ ...run("schedule", { schedule: "41 4 * * *" }), vars: DRIFT_VARS });
  const manual = (ref: string) => {
    const payload = examplePayload("workflow_dispatch", undefined, (p) => p.ref === "refs/heads/master");
    payload.ref = ref;
    return { ...run("workflow_dispatch", payload), vars: DRIFT_VARS };
  };

  it("runs on its schedule and on a dispatch of the default branch, never of another, nor before the role exists", () => {
    expect(ifHolds(drift.drift?.if, schedule())).toBe(true);
    expect(ifHolds(drift.drift?.if, manual("refs/heads/master"))).toBe(true);
    expect(ifHolds(drift.drift?.if, manual(`refs/heads/${BRANCH}`))).toBe(false);
    expect(ifHolds(drift.drift?.if, { ...schedule(), vars: VARS })).toBe(false);
  });

  it("waits in production's deploy group, on a schedule (no repository in its payload) as on a dispatch", () => {
    const productionGroup = group(deploy.pipeline, pushDefault());
    expect(group(drift.drift, schedule())).toBe(productionGroup);
    expect(group(drift.drift, manual("refs/heads/master"))).toBe(productionGroup);
  });

  it("assumes the drift role in the drift environment, and previews production", () => {
    expect(drift.drift?.environment).toBe("drift");
    const setup = step(drift.drift, "Set up the cloud job");
    expect(renderTemplate(setup.with?.["aws-role-arn"] ?? "", schedule())).toBe(
      DRIFT_VARS.AWS_DRIFT_ROLE_ARN,
    );
    expect(setup.with?.["state-tier"]).toBe("production");
    const name = step(drift.drift, "Name the stack").env?.DEFAULT_BRANCH ?? "";
    expect(renderTemplate(name, schedule())).toBe("master");
    expect(step(drift.drift, "Preview production with a refresh, expecting no changes").run).toMatch(
      /pulumi preview --refresh --expect-no-changes/,
    );
  });
});

describe("deployments you can click", () => {
  const links = (url: string, production: boolean) => ({
    links: { outputs: { url, "production-url": production ? url : "" }, outcome: "success" },
  });
  const environmentUrl = (contexts: Contexts) =>
    renderTemplate(
      typeof deploy.pipeline?.environment === "object" ? (deploy.pipeline.environment.url ?? "") : "",
      contexts,
    );
  const record = step(deploy.pipeline, "Record the branch's deployment");

  it("gives production's job its link, and a branch its own deployment instead of the shared preview's", () => {
    const push = { ...pushDefault(), steps: links("https://s.lambda-url.eu-west-1.on.aws/", true) };
    expect(environmentUrl(push)).toBe("https://s.lambda-url.eu-west-1.on.aws/");
    expect(ifHolds(record.if, push)).toBe(false);
    const branch = { ...pr("synchronize"), steps: links("https://b.lambda-url.eu-west-1.on.aws/", false) };
    expect(environmentUrl(branch)).toBe("");
    expect(ifHolds(record.if, branch)).toBe(true);
    // A failed `up` names no link, so there is nothing to record.
    expect(ifHolds(record.if, { ...pr("synchronize"), steps: { links: { outputs: {} } } })).toBe(false);
  });

  it("marks a branch's deployments inactive when its stack is gone, not when another pull request keeps it", () => {
    const deactivate = step(teardown.teardown, "Mark the branch's deployments inactive");
    const afterTeardown = (outcome: string) => ({
      ...pr("closed"),
      steps: { teardown: { outputs: { outcome, stack: "changes" } } },
    });
    expect(ifHolds(deactivate.if, afterTeardown("destroyed"))).toBe(true);
    expect(ifHolds(deactivate.if, afterTeardown("already-gone"))).toBe(true);
    expect(ifHolds(deactivate.if, afterTeardown("kept"))).toBe(false);
    expect(ifHolds(deactivate.if, afterTeardown("failure"))).toBe(false);
  });

  it("runs CI for a merge queue, in a group of the queue's branch", () => {
    expect(Object.keys(ciWorkflow.on)).toContain("merge_group");
    const payload = examplePayload("merge_group");
    const head = (payload.merge_group as { head_ref: string }).head_ref;
    // A merge_group run's GITHUB_REF is the queue's temporary branch (GitHub's "Events that trigger workflows").
    const contexts = { github: { ...githubContext("merge_group", payload, REPO), ref: head } };
    expect(renderTemplate(ciWorkflow.concurrency.group, contexts)).toBe(`ci-${head}`);
  });
});

describe("production's check-gated promotion: which steps run for each outcome", () => {
  const job = deploy.pipeline;
  const candidate = step(job, "Check the candidate");
  const decideCandidate = step(job, "Decide on promotion");
  const promote = step(job, "Promote live to the candidate");
  const decideLive = step(job, "Decide after live's check");
  const rollback = step(job, "Roll live back");
  const failCandidate = step(job, "Fail when the candidate failed its check");
  const URL = "https://s.lambda-url.eu-west-1.on.aws/";
  const upDone = {
    outcome: "success",
    outputs: { liveVersions: '{"stream":"4"}', candidateVersions: '{"stream":"5"}' },
  };
  const production = (steps: Record<string, unknown>) => ({
    ...pushDefault(),
    steps: { up: upDone, links: { outputs: { url: URL, "production-url": URL } }, ...steps },
  });
  const runs = (s: Step, contexts: Contexts) => ifHolds(s.if, contexts);

  it("checks the candidate on production only, never on a pull request", () => {
    expect(runs(candidate, production({}))).toBe(true);
    expect(
      runs(candidate, {
        ...pr("synchronize"),
        steps: { up: upDone, links: { outputs: { url: URL, "production-url": "" } } },
      }),
    ).toBe(false);
  });

  it("candidate fails: no promotion, no rollback, and the run fails saying so", () => {
    const after = production({
      candidate: { outcome: "failure", conclusion: "success" },
      "decide-candidate": {
        outcome: "success",
        outputs: { action: "keep", failed: "true", "live-json": "{}" },
      },
    });
    expect(renderTemplate(decideCandidate.env?.PASSED ?? "", after)).toBe("false");
    expect(runs(decideCandidate, after)).toBe(true);
    expect(runs(promote, after)).toBe(false);
    expect(runs(decideLive, { ...after, steps: { ...after.steps, promote: { outcome: "skipped" } } })).toBe(
      false,
    );
    expect(runs(rollback, after)).toBe(false);
    expect(runs(failCandidate, after)).toBe(true);
  });

  it("candidate passes, live fails: promote, then roll live back to what it served", () => {
    const after = production({
      candidate: { outcome: "success", conclusion: "success" },
      "decide-candidate": {
        outcome: "success",
        outputs: { action: "promote", failed: "false", "live-json": '{"stream":"5"}' },
      },
      promote: { outcome: "success" },
      check: { outcome: "failure" },
      "decide-live": {
        outcome: "success",
        outputs: { action: "rollback", failed: "true", "live-json": '{"stream":"4"}' },
      },
    });
    expect(renderTemplate(decideCandidate.env?.PASSED ?? "", after)).toBe("true");
    expect(runs(promote, after)).toBe(true);
    expect(renderTemplate(promote.env?.PROMOTION_LIVE_VERSIONS ?? "", after)).toBe('{"stream":"5"}');
    expect(runs(decideLive, after)).toBe(true);
    expect(renderTemplate(decideLive.env?.PASSED ?? "", after)).toBe("false");
    expect(runs(rollback, after)).toBe(true);
    expect(renderTemplate(rollback.env?.PROMOTION_LIVE_VERSIONS ?? "", after)).toBe('{"stream":"4"}');
    expect(runs(failCandidate, after)).toBe(false);
  });

  it("both pass: promote, and nothing rolls back", () => {
    const after = production({
      candidate: { outcome: "success", conclusion: "success" },
      "decide-candidate": {
        outcome: "success",
        outputs: { action: "promote", failed: "false", "live-json": '{"stream":"5"}' },
      },
      promote: { outcome: "success" },
      check: { outcome: "success" },
      "decide-live": { outcome: "success", outputs: { action: "done", failed: "false", "live-json": "{}" } },
    });
    expect(runs(promote, after)).toBe(true);
    expect(renderTemplate(decideLive.env?.PASSED ?? "", after)).toBe("true");
    expect(runs(rollback, after)).toBe(false);
    expect(runs(failCandidate, after)).toBe(false);
  });
});
