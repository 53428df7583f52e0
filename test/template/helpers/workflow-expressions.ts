import { createRequire } from "node:module";
import { data, Evaluator, Lexer, Parser } from "@actions/expressions";
import { truthy } from "@actions/expressions/result";

/** One example payload of GitHub's own, as shipped by @octokit/webhooks-examples. */
export type Payload = Record<string, unknown> & {
  action?: string;
  ref?: string;
  ref_type?: string;
  repository?: { full_name: string; default_branch: string };
  pull_request?: {
    number: number;
    merge_commit_sha?: string | null;
    head: { ref: string; sha: string; repo: { full_name: string } | null };
  };
  sender?: { login: string };
  after?: string;
};

const require = createRequire(import.meta.url);
const examples = require("@octokit/webhooks-examples") as { name: string; examples: Payload[] }[];

/** GitHub's example payloads for an event (and action), deep-copied so a test may adapt one. */
export function examplePayloads(event: string, action?: string): Payload[] {
  const found = examples.find((e) => e.name === event)?.examples ?? [];
  return structuredClone(found.filter((p) => action === undefined || p.action === action));
}

export function examplePayload(event: string, action?: string, pick: (p: Payload) => boolean = () => true) {
  const payload = examplePayloads(event, action).find(pick);
  if (!payload)
    throw new Error(`no ${event}${action ? `.${action}` : ""} example in @octokit/webhooks-examples`);
  return payload;
}

/**
 * The `github` context a run gets for an event, per GitHub's "Events that trigger workflows"
 * (GITHUB_SHA/GITHUB_REF per event) and "Contexts" docs: pull_request runs on
 * refs/pull/N/merge with head_ref set; delete and schedule run on the default branch;
 * push and workflow_dispatch on the payload's ref. A schedule has no payload beyond
 * `schedule`, so `github.event.repository` is empty there.
 */
export function githubContext(
  eventName: string,
  payload: Payload,
  repo: { fullName: string; defaultBranch: string; actor?: string },
): Record<string, unknown> {
  const defaultRef = `refs/heads/${repo.defaultBranch}`;
  let ref = defaultRef;
  let sha = "default-branch-head";
  let headRef = "";
  if (eventName === "pull_request" && payload.pull_request) {
    ref = `refs/pull/${payload.pull_request.number}/merge`;
    sha = payload.pull_request.merge_commit_sha ?? `merge-of-${payload.pull_request.head.sha}`;
    headRef = payload.pull_request.head.ref;
  } else if (eventName === "push" || eventName === "workflow_dispatch") {
    ref = payload.ref ?? defaultRef;
    sha = payload.after ?? sha;
  }
  return {
    event_name: eventName,
    event: payload,
    ref,
    ref_name: ref.replace(/^refs\/(heads|tags)\//, ""),
    head_ref: headRef,
    sha,
    repository: repo.fullName,
    actor: payload.sender?.login ?? repo.actor ?? "octocat",
  };
}

export interface Contexts {
  github: Record<string, unknown>;
  inputs?: Record<string, unknown>;
  vars?: Record<string, string>;
  secrets?: Record<string, string>;
  steps?: Record<string, unknown>;
  needs?: Record<string, unknown>;
}

// Status functions are the runner's, not the library's: a job-level `if:` here means "the
// jobs it needs succeeded", as for a job without needs.
const STATUS = ["always", "success", "failure", "cancelled"].map((name) => ({
  name,
  minArgs: 0,
  maxArgs: 0,
  call: () => new data.BooleanData(name === "always" || name === "success"),
}));

function toData(contexts: Contexts): data.Dictionary {
  const json = JSON.stringify({ inputs: {}, vars: {}, secrets: {}, steps: {}, needs: {}, ...contexts });
  return JSON.parse(json, data.reviver) as data.Dictionary;
}

/** Evaluates one bare expression (the inside of `${{ }}`, or an `if:`) with GitHub's evaluator. */
export function evaluateExpression(expression: string, contexts: Contexts): data.ExpressionData {
  const tokens = new Lexer(expression).lex();
  const names = ["github", "inputs", "vars", "secrets", "steps", "needs", "env", "runner", "job"];
  const ast = new Parser(tokens.tokens, names, STATUS).parse();
  return new Evaluator(
    ast,
    toData(contexts),
    new Map(STATUS.map((f) => [f.name.toLowerCase(), f])),
  ).evaluate();
}

/** A workflow value with `${{ }}` parts, rendered as GitHub renders it into a string. */
export function renderTemplate(template: string, contexts: Contexts): string {
  return template.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, inner: string) =>
    evaluateExpression(inner.trim(), contexts).coerceString(),
  );
}

/** An `if:` as GitHub decides it: `${{ }}` optional, truthiness by GitHub's rules. */
export function ifHolds(condition: string | undefined, contexts: Contexts): boolean {
  if (condition === undefined) return true;
  const bare = condition.trim().replace(/^\$\{\{([\s\S]*)\}\}$/, "$1");
  return truthy(evaluateExpression(bare, contexts));
}
