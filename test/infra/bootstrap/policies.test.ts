import { describe, expect, it } from "vitest";
import {
  deployPolicy,
  functionBoundaryPolicy,
  githubSubjects,
  trustPolicy,
} from "../../../infra/bootstrap/policies.js";
import { physicalNames } from "../../../infra/naming.js";
import { ACCOUNT, DEFAULT_KEY_POLICY, simulate, trustAllows } from "../../helpers/iam.js";

const PROVIDER = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
const repo = { owner: "acme", name: "streaming", ownerId: "1234", repoId: "98765" };
const trust = trustPolicy(PROVIDER, repo);
const assume = (
  sub: string | undefined,
  aud: string | undefined = "sts.amazonaws.com",
  federated = PROVIDER,
) =>
  trustAllows(trust, {
    federated,
    action: "sts:AssumeRoleWithWebIdentity",
    context: {
      "token.actions.githubusercontent.com:sub": sub,
      "token.actions.githubusercontent.com:aud": aud,
    },
  });

describe("deploy role trust policy", () => {
  it.each([
    "repo:acme/streaming:pull_request",
    "repo:acme/streaming:ref:refs/heads/main",
    "repo:acme/streaming:ref:refs/heads/feature/deep/branch",
    "repo:acme/streaming:environment:preview",
    "repo:acme/streaming:environment:production",
    "repo:acme@1234/streaming@98765:pull_request",
    "repo:acme@1234/streaming@98765:ref:refs/heads/main",
    "repo:acme@1234/streaming@98765:environment:production",
  ])("allows %s", (sub) => {
    expect(assume(sub)).toBe(true);
  });

  it.each([
    ["another repository", "repo:evil/streaming:pull_request"],
    ["a name that merely starts with this repo's", "repo:acme/streaming-evil:pull_request"],
    ["a tag ref", "repo:acme/streaming:ref:refs/tags/v1"],
    ["the immutable form with other ids", "repo:acme@1/streaming@2:pull_request"],
    ["a different case", "repo:ACME/streaming:pull_request"],
  ])("denies %s", (_what, sub) => {
    expect(assume(sub)).toBe(false);
  });

  it("denies a wrong audience, a missing audience and a missing sub", () => {
    expect(assume("repo:acme/streaming:pull_request", "https://github.com/acme")).toBe(false);
    expect(
      trustAllows(trust, {
        federated: PROVIDER,
        action: "sts:AssumeRoleWithWebIdentity",
        context: { "token.actions.githubusercontent.com:sub": "repo:acme/streaming:pull_request" },
      }),
    ).toBe(false);
    expect(assume(undefined)).toBe(false);
  });

  it("denies tokens from another identity provider", () => {
    expect(
      assume(
        "repo:acme/streaming:pull_request",
        "sts.amazonaws.com",
        `arn:aws:iam::${ACCOUNT}:oidc-provider/evil.example`,
      ),
    ).toBe(false);
  });

  it("never uses ForAllValues, and trusts the legacy form alone when no ids are given", () => {
    expect(JSON.stringify(trust)).not.toContain("ForAllValues");
    expect(githubSubjects({ owner: "acme", name: "streaming" })).toEqual([
      "repo:acme/streaming:pull_request",
      "repo:acme/streaming:ref:refs/heads/*",
      "repo:acme/streaming:environment:*",
    ]);
  });
});

describe("deploy role permissions (evaluated by iam-simulate)", () => {
  const boundaryArn = `arn:aws:iam::${ACCOUNT}:policy/lambda-streaming-function-boundary`;
  const policy = deployPolicy({
    accountId: ACCOUNT,
    region: "us-east-1",
    prefix: "lambda-streaming",
    boundaryArn,
  });
  const longStack = `dependabot-npm-and-yarn-${"x".repeat(80)}`.slice(0, 100);
  const names = physicalNames(longStack, "stream");
  const fnArn = (name: string) => `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${name}`;
  const roleArn = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;

  it("allows creating this stack's function, URL, permissions and log group (even for a 100-char stack)", async () => {
    for (const action of [
      "lambda:CreateFunction",
      "lambda:CreateFunctionUrlConfig",
      "lambda:AddPermission",
      "lambda:TagResource",
    ]) {
      expect(await simulate(policy, action, fnArn(names.functionName))).toBe("Allowed");
    }
    const logGroup = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${names.logGroupName}`;
    expect(await simulate(policy, "logs:CreateLogGroup", logGroup)).toBe("Allowed");
    expect(await simulate(policy, "logs:PutRetentionPolicy", logGroup)).toBe("Allowed");
  });

  it("allows creating this stack's role only with the permissions boundary", async () => {
    expect(
      await simulate(policy, "iam:CreateRole", roleArn(names.roleName), {
        "iam:PermissionsBoundary": boundaryArn,
      }),
    ).toBe("Allowed");
    expect(await simulate(policy, "iam:CreateRole", roleArn(names.roleName))).toBe("ImplicitlyDenied");
    expect(
      await simulate(policy, "iam:CreateRole", roleArn(names.roleName), {
        "iam:PermissionsBoundary": "arn:aws:iam::aws:policy/AdministratorAccess",
      }),
    ).toBe("ImplicitlyDenied");
  });

  it("allows passing this project's roles to Lambda only", async () => {
    expect(
      await simulate(policy, "iam:PassRole", roleArn(names.roleName), {
        "iam:PassedToService": "lambda.amazonaws.com",
      }),
    ).toBe("Allowed");
    expect(
      await simulate(policy, "iam:PassRole", roleArn(names.roleName), {
        "iam:PassedToService": "ec2.amazonaws.com",
      }),
    ).toBe("ImplicitlyDenied");
  });

  it("denies another function, a foreign role, iam:CreateUser and the deploy role itself", async () => {
    expect(await simulate(policy, "lambda:CreateFunction", fnArn("payments-api"))).toBe("ImplicitlyDenied");
    expect(await simulate(policy, "lambda:UpdateFunctionCode", fnArn("payments-api"))).toBe(
      "ImplicitlyDenied",
    );
    expect(
      await simulate(policy, "iam:PassRole", roleArn("OrganizationAccountAccessRole"), {
        "iam:PassedToService": "lambda.amazonaws.com",
      }),
    ).toBe("ImplicitlyDenied");
    expect(await simulate(policy, "iam:CreateUser", `arn:aws:iam::${ACCOUNT}:user/intruder`)).toBe(
      "ImplicitlyDenied",
    );
    expect(
      await simulate(policy, "iam:PutRolePolicy", roleArn("github-deploy-lambda-streaming"), {
        "iam:PermissionsBoundary": boundaryArn,
      }),
    ).toBe("ImplicitlyDenied");
    expect(await simulate(policy, "iam:DeleteRolePermissionsBoundary", roleArn(names.roleName))).toBe(
      "ImplicitlyDenied",
    );
    expect(
      await simulate(
        policy,
        "logs:DeleteLogGroup",
        `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/lambda/other`,
      ),
    ).toBe("ImplicitlyDenied");
  });

  it("has no wildcard action and grants '*' resources only to Cloud Control and GetCallerIdentity", () => {
    for (const statement of policy.Statement) {
      const actions = [statement.Action].flat();
      for (const action of actions) expect(action).not.toMatch(/\*/);
      if ([statement.Resource].flat().includes("*")) {
        expect(actions.every((a) => a.startsWith("cloudformation:") || a === "sts:GetCallerIdentity")).toBe(
          true,
        );
      }
    }
  });

  it("adds exactly the state bucket and key when self-managed state is on", async () => {
    const withState = deployPolicy({
      accountId: ACCOUNT,
      region: "us-east-1",
      prefix: "lambda-streaming",
      boundaryArn,
      stateBucket: "lambda-streaming-pulumi-state-abc",
      kmsKeyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/k1`,
    });
    expect(
      await simulate(
        withState,
        "s3:PutObject",
        "arn:aws:s3:::lambda-streaming-pulumi-state-abc/.pulumi/stacks/x.json",
      ),
    ).toBe("Allowed");
    expect(await simulate(withState, "s3:PutObject", "arn:aws:s3:::someone-elses-bucket/x")).toBe(
      "ImplicitlyDenied",
    );
    const key = (id: string) => `arn:aws:kms:us-east-1:${ACCOUNT}:key/${id}`;
    expect(await simulate(withState, "kms:Decrypt", key("k1"), {}, DEFAULT_KEY_POLICY)).toBe("Allowed");
    expect(await simulate(withState, "kms:Decrypt", key("other"), {}, DEFAULT_KEY_POLICY)).toBe(
      "ImplicitlyDenied",
    );
    expect(await simulate(policy, "s3:PutObject", "arn:aws:s3:::lambda-streaming-pulumi-state-abc/x")).toBe(
      "ImplicitlyDenied",
    );
  });
});

describe("function permissions boundary", () => {
  const boundary = functionBoundaryPolicy({
    accountId: ACCOUNT,
    region: "us-east-1",
    prefix: "lambda-streaming",
  });
  it("lets a function write its logs and nothing else", async () => {
    const stream = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/lambda/lambda-streaming-pr-1-stream:log-stream:2026/11/27/x`;
    expect(await simulate(boundary, "logs:PutLogEvents", stream)).toBe("Allowed");
    expect(await simulate(boundary, "s3:GetObject", "arn:aws:s3:::any/x")).toBe("ImplicitlyDenied");
    expect(await simulate(boundary, "iam:CreateUser", `arn:aws:iam::${ACCOUNT}:user/x`)).toBe(
      "ImplicitlyDenied",
    );
  });
});
