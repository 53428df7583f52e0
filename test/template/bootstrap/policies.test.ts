import fc from "fast-check";
import { physicalNames } from "lambda-stream-kit/stack";
import { describe, expect, it } from "vitest";
import { DYNAMODB_TABLES, EXTRA_RESOURCES } from "../../../infra/bootstrap/extra-access.js";
import {
  deployPolicy,
  driftPolicy,
  driftTrustPolicy,
  functionBoundaryPolicy,
  githubSubjects,
  trustPolicy,
} from "../../../infra/bootstrap/policies.js";
import { stackNameForBranch } from "../../../packages/lambda-stream-kit/src/pulumi/stack-name.js";
import { ACCOUNT, DEFAULT_KEY_POLICY, simulate, stringLike, trustAllows } from "../helpers/iam.js";

const PROVIDER = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
const repo = { owner: "acme", name: "streaming", ownerId: "1234", repoId: "98765" };
const branchTrust = trustPolicy(PROVIDER, repo, "branches");
const productionTrust = trustPolicy(PROVIDER, repo, "production");
const assumeWith = (
  trust: typeof branchTrust,
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
const assume = (sub: string | undefined, aud?: string, federated?: string) =>
  assumeWith(branchTrust, sub, aud, federated);

describe("branch role trust policy", () => {
  it.each([
    "repo:acme/streaming:pull_request",
    "repo:acme/streaming:ref:refs/heads/main",
    "repo:acme/streaming:ref:refs/heads/feature/deep/branch",
    "repo:acme/streaming:environment:preview",
    "repo:acme@1234/streaming@98765:pull_request",
    "repo:acme@1234/streaming@98765:ref:refs/heads/main",
    "repo:acme@1234/streaming@98765:environment:preview",
  ])("allows %s", (sub) => {
    expect(assume(sub)).toBe(true);
  });

  it.each([
    ["another repository", "repo:evil/streaming:pull_request"],
    ["a name that merely starts with this repo's", "repo:acme/streaming-evil:pull_request"],
    ["a tag ref", "repo:acme/streaming:ref:refs/tags/v1"],
    ["the immutable form with other ids", "repo:acme@1/streaming@2:pull_request"],
    ["a different case", "repo:ACME/streaming:pull_request"],
    ["a production job (legacy form)", "repo:acme/streaming:environment:production"],
    ["a production job (immutable form)", "repo:acme@1234/streaming@98765:environment:production"],
    ["another environment", "repo:acme/streaming:environment:staging"],
  ])("denies %s", (_what, sub) => {
    expect(assume(sub)).toBe(false);
  });

  it("denies a wrong audience, a missing audience and a missing sub", () => {
    expect(assume("repo:acme/streaming:pull_request", "https://github.com/acme")).toBe(false);
    expect(
      trustAllows(branchTrust, {
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

  it("never uses ForAllValues, and always trusts both subject forms", () => {
    expect(JSON.stringify(branchTrust)).not.toContain("ForAllValues");
    expect(githubSubjects(repo, "branches")).toEqual([
      "repo:acme/streaming:pull_request",
      "repo:acme/streaming:ref:refs/heads/*",
      "repo:acme/streaming:environment:preview",
      "repo:acme@1234/streaming@98765:pull_request",
      "repo:acme@1234/streaming@98765:ref:refs/heads/*",
      "repo:acme@1234/streaming@98765:environment:preview",
    ]);
  });
});

describe("trust against hostile subjects", () => {
  // The trust keeps the names in both forms, so a renamed or transferred repository needs the
  // bootstrap re-run (README); in exchange no pattern has a leading or inner `*` that another
  // repository's crafted branch or environment name could fill. GitHub environment names may
  // hold `@`, `/` and `:`; branch names `@` and `/`.
  const hostileText = fc.stringMatching(/^[a-z0-9@/:._-]{1,40}$/);
  const otherRepository = fc
    .record({
      owner: fc.constantFrom("acme", "evil", "acme-evil", "streaming"),
      name: fc.constantFrom("streaming", "streaming-evil", "x"),
      ownerId: fc.constantFrom("1234", "1", "12345", "666"),
      repoId: fc.constantFrom("98765", "9876", "987650", "777"),
    })
    .filter((r) => !(r.owner === "acme" && r.name === "streaming"));
  const suffix = fc.oneof(
    fc.constant("pull_request"),
    hostileText.map((branch) => `ref:refs/heads/${branch}`),
    hostileText.map((environment) => `environment:${environment}`),
    // An environment named like this repository's own subject.
    fc
      .constantFrom("acme@1234/streaming@98765:pull_request", "@1234/@98765:environment:production")
      .map((name) => `environment:${name}`),
  );

  it("matches no token of another repository, in either form, whatever its branch or environment", () => {
    fc.assert(
      fc.property(otherRepository, suffix, fc.boolean(), (other, tail, immutable) => {
        const form = immutable
          ? `${other.owner}@${other.ownerId}/${other.name}@${other.repoId}`
          : `${other.owner}/${other.name}`;
        const sub = `repo:${form}:${tail}`;
        return !assumeWith(branchTrust, sub) && !assumeWith(productionTrust, sub);
      }),
      { numRuns: 500 },
    );
  });

  it("gives this repository's other environments, however named, neither role", () => {
    fc.assert(
      fc.property(
        hostileText.filter((name) => name !== "preview" && name !== "production"),
        fc.boolean(),
        (environment, immutable) => {
          const form = immutable ? "acme@1234/streaming@98765" : "acme/streaming";
          const sub = `repo:${form}:environment:${environment}`;
          return !assumeWith(branchTrust, sub) && !assumeWith(productionTrust, sub);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("matches the same owner and name with other ids (a transferred repository) in the legacy form only", () => {
    // Why a rename or transfer needs the bootstrap re-run: the immutable form pins the ids.
    expect(assume("repo:acme@1/streaming@2:pull_request")).toBe(false);
    expect(assume("repo:acme/streaming:pull_request")).toBe(true);
  });
});

describe("production role trust policy", () => {
  it.each([
    "repo:acme/streaming:environment:production",
    "repo:acme@1234/streaming@98765:environment:production",
  ])("allows %s", (sub) => {
    expect(assumeWith(productionTrust, sub)).toBe(true);
  });

  it.each([
    ["a pull request", "repo:acme/streaming:pull_request"],
    ["a pull request (immutable form)", "repo:acme@1234/streaming@98765:pull_request"],
    ["a push to the default branch without the environment", "repo:acme/streaming:ref:refs/heads/main"],
    ["the preview environment", "repo:acme/streaming:environment:preview"],
    ["another repository's production", "repo:evil/streaming:environment:production"],
  ])("denies %s", (_what, sub) => {
    expect(assumeWith(productionTrust, sub)).toBe(false);
  });
});

describe("deploy role permissions (evaluated by iam-simulate)", () => {
  const boundaryArn = `arn:aws:iam::${ACCOUNT}:policy/lambda-streaming-function-boundary`;
  const policy = deployPolicy(
    { accountId: ACCOUNT, region: "us-east-1", prefix: "lambda-streaming", boundaryArn },
    "branches",
  );
  const longStack = `dependabot-npm-and-yarn-${"x".repeat(80)}`.slice(0, 100);
  const names = physicalNames(longStack, "stream", "lambda-streaming");
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

  it("allows no wildcard action and grants '*' resources only to Cloud Control and GetCallerIdentity", () => {
    for (const statement of policy.Statement.filter((s) => s.Effect === "Allow")) {
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
    const withState = deployPolicy(
      {
        accountId: ACCOUNT,
        region: "us-east-1",
        prefix: "lambda-streaming",
        boundaryArn,
        stateBucket: "lambda-streaming-pulumi-state-abc",
        kmsKeyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/k1`,
      },
      "branches",
    );
    expect(
      await simulate(
        withState,
        "s3:PutObject",
        "arn:aws:s3:::lambda-streaming-pulumi-state-abc/branches/.pulumi/stacks/x.json",
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

describe("branch role and production role, side by side (evaluated by iam-simulate)", () => {
  const boundaryArn = `arn:aws:iam::${ACCOUNT}:policy/lambda-streaming-function-boundary`;
  const BUCKET = "lambda-streaming-pulumi-state-abc";
  const scope = {
    accountId: ACCOUNT,
    region: "us-east-1",
    prefix: "lambda-streaming",
    boundaryArn,
    stateBucket: BUCKET,
    kmsKeyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/k1`,
  };
  const branch = deployPolicy(scope, "branches");
  const production = deployPolicy(scope, "production");
  const prod = physicalNames("production", "stream", "lambda-streaming");
  const pr = physicalNames(stackNameForBranch("feature/login"), "stream", "lambda-streaming");
  // A branch named like production gets a stack name outside the production pattern.
  const lookalike = physicalNames(stackNameForBranch("production-hotfix"), "stream", "lambda-streaming");
  const fn = (name: string) => `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${name}`;
  const role = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
  const logGroup = (name: string) => `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${name}`;
  const object = (key: string) => `arn:aws:s3:::${BUCKET}/${key}`;
  // Production's state lives under production/ (the setup action's state-tier).
  const PRODUCTION_STATE = [
    "production/.pulumi/stacks/lambda-streaming/production.json",
    "production/.pulumi/stacks/lambda-streaming/production.json.bak",
    "production/.pulumi/stacks/lambda-streaming/production.json.gz",
    "production/.pulumi/history/lambda-streaming/production/production-1732700000.history.json",
    "production/.pulumi/backups/lambda-streaming/production/production.1732700000.json",
    "production/.pulumi/locks/organization/lambda-streaming/production/7d3b.json",
    "production/.pulumi/journal/lambda-streaming/production/0001.json",
  ];

  it.each([
    "lambda:CreateFunction",
    "lambda:UpdateFunctionCode",
    "lambda:UpdateFunctionConfiguration",
    "lambda:DeleteFunction",
    "lambda:TagResource",
    "lambda:AddPermission",
    "lambda:CreateFunctionUrlConfig",
    "lambda:InvokeFunction",
  ])("the branch role cannot %s the production function; the production role can", async (action) => {
    expect(await simulate(branch, action, fn(prod.functionName))).toBe("ExplicitlyDenied");
    expect(await simulate(production, action, fn(prod.functionName))).toBe("Allowed");
    expect(await simulate(branch, action, fn(pr.functionName))).toBe("Allowed");
    expect(await simulate(branch, action, fn(lookalike.functionName))).toBe("Allowed");
  });

  it("the branch role cannot create, tag, delete or pass production's roles", async () => {
    const bounded = { "iam:PermissionsBoundary": boundaryArn };
    expect(await simulate(branch, "iam:CreateRole", role(prod.roleName), bounded)).toBe("ExplicitlyDenied");
    expect(await simulate(branch, "iam:TagRole", role(prod.roleName))).toBe("ExplicitlyDenied");
    expect(await simulate(branch, "iam:DeleteRole", role(prod.roleName))).toBe("ExplicitlyDenied");
    const toLambda = { "iam:PassedToService": "lambda.amazonaws.com" };
    expect(await simulate(branch, "iam:PassRole", role(prod.roleName), toLambda)).toBe("ExplicitlyDenied");
    expect(await simulate(production, "iam:PassRole", role(prod.roleName), toLambda)).toBe("Allowed");
    expect(await simulate(branch, "iam:CreateRole", role(pr.roleName), bounded)).toBe("Allowed");
  });

  it("each role reads the log events of its own stacks' log groups only (the check's log fetch)", async () => {
    // FilterLogEvents acts on the log group, GetLogEvents on a log stream in it.
    for (const [action, resource] of [
      ["logs:FilterLogEvents", (group: string) => logGroup(group)],
      ["logs:GetLogEvents", (group: string) => `${logGroup(group)}:log-stream:2026/11/30/[$LATEST]abc`],
    ] as const) {
      expect(await simulate(branch, action, resource(pr.logGroupName))).toBe("Allowed");
      expect(await simulate(branch, action, resource(prod.logGroupName))).toBe("ExplicitlyDenied");
      expect(await simulate(production, action, resource(prod.logGroupName))).toBe("Allowed");
      expect(await simulate(branch, action, resource("/aws/lambda/payments-api"))).toBe("ImplicitlyDenied");
    }
  });

  it("the branch role cannot touch production's log group", async () => {
    for (const action of ["logs:CreateLogGroup", "logs:DeleteLogGroup", "logs:PutRetentionPolicy"]) {
      expect(await simulate(branch, action, logGroup(prod.logGroupName))).toBe("ExplicitlyDenied");
      expect(await simulate(production, action, logGroup(prod.logGroupName))).toBe("Allowed");
    }
  });

  it.each(PRODUCTION_STATE)(
    "the branch role cannot read, write or delete production's state %s",
    async (key) => {
      for (const action of ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]) {
        expect(await simulate(branch, action, object(key))).toBe("ExplicitlyDenied");
        expect(await simulate(production, action, object(key))).toBe("Allowed");
      }
    },
  );

  it("the branch role keeps its own stacks' state, and production's role has none of it", async () => {
    const stack = stackNameForBranch("feature/login");
    for (const key of [
      `branches/.pulumi/stacks/lambda-streaming/${stack}.json`,
      `branches/.pulumi/locks/organization/lambda-streaming/${stack}/1.json`,
    ]) {
      for (const action of ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]) {
        expect(await simulate(branch, action, object(key))).toBe("Allowed");
        expect(await simulate(production, action, object(key))).toBe("ImplicitlyDenied");
      }
    }
  });

  it("each role lists its own tier's path only (the DIY backend lists with the backend URL's prefix)", async () => {
    const bucket = `arn:aws:s3:::${BUCKET}`;
    const listing = (prefix: string) => ({ "s3:prefix": prefix });
    const branches = listing("branches/.pulumi/stacks/lambda-streaming/");
    const prod = listing("production/.pulumi/stacks/lambda-streaming/");
    expect(await simulate(branch, "s3:ListBucket", bucket, branches)).toBe("Allowed");
    expect(await simulate(branch, "s3:ListBucket", bucket, prod)).toBe("ImplicitlyDenied");
    expect(await simulate(production, "s3:ListBucket", bucket, prod)).toBe("Allowed");
    expect(await simulate(production, "s3:ListBucket", bucket, branches)).toBe("ImplicitlyDenied");
  });

  it("neither role may rewrite a tier's meta.yaml (the bootstrap writes it), but both read theirs", async () => {
    for (const [policy, tier] of [
      [branch, "branches"],
      [production, "production"],
    ] as const) {
      const meta = object(`${tier}/.pulumi/meta.yaml`);
      expect(await simulate(policy, "s3:GetObject", meta)).toBe("Allowed");
      expect(await simulate(policy, "s3:PutObject", meta)).toBe("ExplicitlyDenied");
      expect(await simulate(policy, "s3:DeleteObject", meta)).toBe("ExplicitlyDenied");
      expect(await simulate(policy, "s3:PutObject", object(".pulumi/meta.yaml"))).toBe("ExplicitlyDenied");
    }
  });

  it("both roles may invoke their own functions' IAM-auth URLs (the stream check signs with them)", async () => {
    const iamAuth = { "lambda:FunctionUrlAuthType": "AWS_IAM" };
    expect(await simulate(branch, "lambda:InvokeFunctionUrl", fn(pr.functionName), iamAuth)).toBe("Allowed");
    expect(await simulate(production, "lambda:InvokeFunctionUrl", fn(prod.functionName), iamAuth)).toBe(
      "Allowed",
    );
    expect(await simulate(branch, "lambda:InvokeFunctionUrl", fn(prod.functionName), iamAuth)).toBe(
      "ExplicitlyDenied",
    );
    expect(await simulate(branch, "lambda:InvokeFunctionUrl", fn("payments-api"), iamAuth)).toBe(
      "ImplicitlyDenied",
    );
    expect(await simulate(branch, "lambda:InvokeFunction", fn("payments-api"))).toBe("ImplicitlyDenied");
    expect(
      await simulate(branch, "lambda:InvokeFunctionUrl", fn(pr.functionName), {
        "lambda:FunctionUrlAuthType": "NONE",
      }),
    ).toBe("ImplicitlyDenied");
  });

  it("each role may lambda:InvokeFunction (InvokeWithResponseStream) its own functions only", async () => {
    expect(await simulate(branch, "lambda:InvokeFunction", fn(pr.functionName))).toBe("Allowed");
    expect(await simulate(production, "lambda:InvokeFunction", fn(prod.functionName))).toBe("Allowed");
    expect(await simulate(branch, "lambda:InvokeFunction", fn(prod.functionName))).toBe("ExplicitlyDenied");
    expect(await simulate(production, "lambda:InvokeFunction", fn("payments-api"))).toBe("ImplicitlyDenied");
  });
});

describe("function permissions boundaries, one per tier", () => {
  const scope = { accountId: ACCOUNT, region: "us-east-1", prefix: "lambda-streaming" };
  const branchBoundary = functionBoundaryPolicy(scope, "branches");
  const productionBoundary = functionBoundaryPolicy(scope, "production");
  const streamOf = (fn: string) =>
    `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/lambda/${fn}:log-stream:2026/11/27/x`;
  const branchLogs = streamOf(
    physicalNames(stackNameForBranch("feature/login"), "stream", "lambda-streaming").functionName,
  );
  const productionLogs = streamOf(physicalNames("production", "stream", "lambda-streaming").functionName);

  it("lets a branch function write its logs and nothing else", async () => {
    expect(await simulate(branchBoundary, "logs:PutLogEvents", branchLogs)).toBe("Allowed");
    expect(await simulate(branchBoundary, "s3:GetObject", "arn:aws:s3:::any/x")).toBe("ImplicitlyDenied");
    expect(await simulate(branchBoundary, "iam:CreateUser", `arn:aws:iam::${ACCOUNT}:user/x`)).toBe(
      "ImplicitlyDenied",
    );
  });

  it("keeps a branch function out of production's log groups, and production's out of a branch's", async () => {
    for (const action of ["logs:PutLogEvents", "logs:CreateLogStream"]) {
      expect(await simulate(branchBoundary, action, productionLogs)).toBe("ExplicitlyDenied");
      expect(await simulate(productionBoundary, action, productionLogs)).toBe("Allowed");
      expect(await simulate(productionBoundary, action, branchLogs)).toBe("ImplicitlyDenied");
    }
  });

  it("makes each deploy role create roles only with its own tier's boundary", async () => {
    const withBoundary = (arn: string) => ({ "iam:PermissionsBoundary": arn });
    const branchArn = `arn:aws:iam::${ACCOUNT}:policy/lambda-streaming-function-boundary`;
    const productionArn = `arn:aws:iam::${ACCOUNT}:policy/lambda-streaming-production-function-boundary`;
    const deploy = (tier: "branches" | "production", boundaryArn: string) =>
      deployPolicy({ ...scope, boundaryArn }, tier);
    const role = (stack: string) =>
      `arn:aws:iam::${ACCOUNT}:role/${physicalNames(stack, "stream", "lambda-streaming").roleName}`;
    const pr = stackNameForBranch("feature/login");
    expect(
      await simulate(deploy("branches", branchArn), "iam:CreateRole", role(pr), withBoundary(branchArn)),
    ).toBe("Allowed");
    expect(
      await simulate(deploy("branches", branchArn), "iam:CreateRole", role(pr), withBoundary(productionArn)),
    ).toBe("ImplicitlyDenied");
    expect(
      await simulate(
        deploy("production", productionArn),
        "iam:CreateRole",
        role("production"),
        withBoundary(productionArn),
      ),
    ).toBe("Allowed");
    expect(
      await simulate(
        deploy("production", productionArn),
        "iam:CreateRole",
        role("production"),
        withBoundary(branchArn),
      ),
    ).toBe("ImplicitlyDenied");
  });
});

describe("a stack's own resources beyond the functions (infra/bootstrap/extra-access.ts)", () => {
  // A DynamoDB table per stack, as README's "Add your own function" walks through.
  const scope = {
    accountId: ACCOUNT,
    region: "us-east-1",
    prefix: "lambda-streaming",
    boundaryArn: `arn:aws:iam::${ACCOUNT}:policy/lambda-streaming-function-boundary`,
    extras: [DYNAMODB_TABLES],
  };
  const table = (stack: string) =>
    `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/lambda-streaming-${stack}-orders`;
  const pr = stackNameForBranch("feature/orders");

  it("lets the branch role create and delete its stack's table, and never production's", async () => {
    const branch = deployPolicy(scope, "branches");
    for (const action of ["dynamodb:CreateTable", "dynamodb:DescribeTable", "dynamodb:DeleteTable"]) {
      expect(await simulate(branch, action, table(pr)), action).toBe("Allowed");
      expect(await simulate(branch, action, table("production")), action).toBe("ExplicitlyDenied");
    }
    // Outside the project's names: nothing.
    expect(
      await simulate(branch, "dynamodb:DeleteTable", `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/payments`),
    ).toBe("ImplicitlyDenied");
    const production = deployPolicy(scope, "production");
    expect(await simulate(production, "dynamodb:CreateTable", table("production"))).toBe("Allowed");
  });

  it("lets a row's permissions reach its own tier's tables only, through the boundary", async () => {
    const branchBoundary = functionBoundaryPolicy(scope, "branches");
    const productionBoundary = functionBoundaryPolicy(scope, "production");
    expect(await simulate(branchBoundary, "dynamodb:Scan", table(pr))).toBe("Allowed");
    expect(await simulate(branchBoundary, "dynamodb:Scan", table("production"))).toBe("ExplicitlyDenied");
    expect(await simulate(productionBoundary, "dynamodb:Scan", table("production"))).toBe("Allowed");
    expect(await simulate(productionBoundary, "dynamodb:Scan", table(pr))).toBe("ImplicitlyDenied");
    // Only the `use` actions: a function cannot drop the table.
    expect(await simulate(branchBoundary, "dynamodb:DeleteTable", table(pr))).toBe("ImplicitlyDenied");
  });

  it("adds nothing when the file lists nothing (the template's default)", () => {
    const { extras: _none, ...plain } = scope;
    expect(deployPolicy({ ...plain, extras: EXTRA_RESOURCES }, "branches")).toEqual(
      deployPolicy(plain, "branches"),
    );
    expect(functionBoundaryPolicy({ ...plain, extras: EXTRA_RESOURCES }, "branches")).toEqual(
      functionBoundaryPolicy(plain, "branches"),
    );
  });
});

describe("REST API doors: scoped by tags, since their ARNs carry ids", () => {
  const scope = {
    accountId: ACCOUNT,
    region: "us-east-1",
    prefix: "lambda-streaming",
    boundaryArn: `arn:aws:iam::${ACCOUNT}:policy/lambda-streaming-function-boundary`,
  };
  const branch = deployPolicy(scope, "branches");
  const production = deployPolicy(scope, "production");
  const apis = "arn:aws:apigateway:us-east-1::/restapis";
  const api = (id: string) => `${apis}/${id}`;
  const tagsOf = (id: string) => `arn:aws:apigateway:us-east-1::/tags/${encodeURIComponent(api(id))}`;
  const tagged = (stack: string, project = "lambda-streaming") => ({
    "aws:ResourceTag/project": project,
    "aws:ResourceTag/stack": stack,
  });
  const pr = stackNameForBranch("feature/login");

  it("creates a REST API only with this project's tag, and a branch role never one tagged production", async () => {
    const request = (stack: string, project = "lambda-streaming") => ({
      "aws:RequestTag/project": project,
      "aws:RequestTag/stack": stack,
    });
    expect(await simulate(branch, "apigateway:POST", apis, request(pr))).toBe("Allowed");
    expect(await simulate(branch, "apigateway:POST", apis, request(pr, "payments"))).toBe("ImplicitlyDenied");
    expect(await simulate(branch, "apigateway:POST", apis, request("production"))).toBe("ExplicitlyDenied");
    expect(await simulate(production, "apigateway:POST", apis, request("production"))).toBe("Allowed");
  });

  it("manages its own stack's API and the children that inherit its tags, never production's", async () => {
    for (const [action, resource] of [
      ["apigateway:GET", api("a1b2c3")],
      ["apigateway:PATCH", api("a1b2c3")],
      ["apigateway:DELETE", api("a1b2c3")],
      ["apigateway:PUT", `${api("a1b2c3")}/resources/r1/methods/ANY/integration`],
      ["apigateway:POST", `${api("a1b2c3")}/resources`],
      ["apigateway:PATCH", `${api("a1b2c3")}/stages/api`],
    ] as const) {
      expect(await simulate(branch, action, resource, tagged(pr)), `${action} ${resource}`).toBe("Allowed");
      expect(await simulate(branch, action, resource, tagged("production")), `${action} ${resource}`).toBe(
        "ExplicitlyDenied",
      );
      expect(await simulate(production, action, resource, tagged("production"))).toBe("Allowed");
      // Another project's API, in the same account: out of reach for both.
      expect(await simulate(production, action, resource, tagged("production", "payments"))).toBe(
        "ImplicitlyDenied",
      );
    }
  });

  it("may move the commit tag but never the project or stack tag", async () => {
    const keys = (...names: string[]) => ({ ...tagged(pr), "aws:TagKeys": names });
    expect(await simulate(branch, "apigateway:PUT", tagsOf("a1b2c3"), keys("commit"))).toBe("Allowed");
    expect(await simulate(branch, "apigateway:PUT", tagsOf("a1b2c3"), keys("commit", "stack"))).toBe(
      "ExplicitlyDenied",
    );
    expect(
      await simulate(production, "apigateway:DELETE", tagsOf("a1b2c3"), {
        ...tagged("production"),
        "aws:TagKeys": ["project"],
      }),
    ).toBe("ExplicitlyDenied");
  });
});

describe("the drift role: read-only on production, trusted through the drift environment only", () => {
  const scope = {
    accountId: ACCOUNT,
    region: "us-east-1",
    prefix: "lambda-streaming",
    stateBucket: "lambda-streaming-pulumi-state-abc",
    kmsKeyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/1111`,
    extras: [DYNAMODB_TABLES],
  };
  const policy = driftPolicy(scope);
  const prod = physicalNames("production", "stream", "lambda-streaming");
  const pr = physicalNames(stackNameForBranch("feature/login"), "stream", "lambda-streaming");
  const fn = (name: string) => `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${name}`;
  const actions = policy.Statement.flatMap((s) => [s.Action].flat());

  it("has no action that writes anything", () => {
    expect(actions.length).toBeGreaterThan(10);
    const writes = actions.filter((action) =>
      /:(Create|Put|Update|Delete|Tag|Untag|Add|Remove|Publish|Invoke|Encrypt|GenerateDataKey|Pass|Attach|Detach)|^apigateway:(POST|PUT|PATCH|DELETE)$|^s3:(Put|Delete)/.test(
        action,
      ),
    );
    expect(writes).toEqual([]);
    expect(policy.Statement.every((s) => s.Effect === "Allow")).toBe(true);
  });

  it("reads what a refresh of production reads", async () => {
    expect(await simulate(policy, "lambda:GetFunction", fn(prod.functionName))).toBe("Allowed");
    expect(await simulate(policy, "lambda:GetFunctionUrlConfig", fn(prod.functionName))).toBe("Allowed");
    expect(await simulate(policy, "iam:GetRolePolicy", `arn:aws:iam::${ACCOUNT}:role/${prod.roleName}`)).toBe(
      "Allowed",
    );
    expect(
      await simulate(
        policy,
        "s3:GetObject",
        "arn:aws:s3:::lambda-streaming-pulumi-state-abc/production/.pulumi/stacks/lambda-streaming/production.json",
      ),
    ).toBe("Allowed");
    expect(await simulate(policy, "kms:Decrypt", scope.kmsKeyArn, {}, DEFAULT_KEY_POLICY)).toBe("Allowed");
    expect(
      await simulate(
        policy,
        "dynamodb:DescribeTable",
        `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/lambda-streaming-production-orders`,
      ),
    ).toBe("Allowed");
    expect(
      await simulate(policy, "apigateway:GET", "arn:aws:apigateway:us-east-1::/restapis/a1", {
        "aws:ResourceTag/project": "lambda-streaming",
        "aws:ResourceTag/stack": "production",
      }),
    ).toBe("Allowed");
  });

  it("can write nothing of production, and read nothing of the branches", async () => {
    for (const [action, resource] of [
      ["lambda:UpdateFunctionCode", fn(prod.functionName)],
      ["lambda:DeleteFunction", fn(prod.functionName)],
      ["lambda:InvokeFunction", fn(prod.functionName)],
      ["iam:PutRolePolicy", `arn:aws:iam::${ACCOUNT}:role/${prod.roleName}`],
      ["logs:DeleteLogGroup", `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/lambda/${prod.functionName}`],
      ["s3:PutObject", "arn:aws:s3:::lambda-streaming-pulumi-state-abc/production/.pulumi/stacks/x.json"],
      ["s3:DeleteObject", "arn:aws:s3:::lambda-streaming-pulumi-state-abc/production/.pulumi/stacks/x.json"],
      [
        "dynamodb:DeleteTable",
        `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/lambda-streaming-production-orders`,
      ],
      ["lambda:GetFunction", fn(pr.functionName)],
      ["s3:GetObject", "arn:aws:s3:::lambda-streaming-pulumi-state-abc/branches/.pulumi/stacks/x.json"],
    ] as const) {
      expect(await simulate(policy, action, resource), `${action} ${resource}`).not.toBe("Allowed");
    }
    // With the key's default policy (the account's IAM policies decide), as the bootstrap's key has.
    expect(await simulate(policy, "kms:Encrypt", scope.kmsKeyArn, {}, DEFAULT_KEY_POLICY)).not.toBe(
      "Allowed",
    );
    expect(
      await simulate(policy, "apigateway:DELETE", "arn:aws:apigateway:us-east-1::/restapis/a1", {
        "aws:ResourceTag/project": "lambda-streaming",
        "aws:ResourceTag/stack": "production",
      }),
    ).not.toBe("Allowed");
  });

  it("is trusted by the drift environment's jobs only, not a push or schedule of the default branch", () => {
    const repo = { owner: "acme", name: "streaming", ownerId: "1", repoId: "2" };
    const trust = driftTrustPolicy("arn:aws:iam::1:oidc-provider/x", repo);
    const subjects = trust.Statement[0]?.Condition?.StringLike?.["token.actions.githubusercontent.com:sub"];
    expect(subjects).toEqual([
      "repo:acme/streaming:environment:drift",
      "repo:acme@1/streaming@2:environment:drift",
    ]);
    for (const other of [
      "repo:acme/streaming:ref:refs/heads/main",
      "repo:acme/streaming:environment:production",
    ])
      expect([subjects].flat().some((pattern) => stringLike(String(pattern), other))).toBe(false);
  });
});

describe("the version and alias actions of check-gated promotion", () => {
  const scope = {
    accountId: ACCOUNT,
    region: "us-east-1",
    prefix: "lambda-streaming",
    boundaryArn: `arn:aws:iam::${ACCOUNT}:policy/lambda-streaming-function-boundary`,
  };
  const fn = (name: string) => `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${name}`;
  const prod = physicalNames("production", "stream", "lambda-streaming").functionName;
  const pr = physicalNames(stackNameForBranch("feature/login"), "stream", "lambda-streaming").functionName;
  const actions = [
    "lambda:PublishVersion",
    "lambda:CreateAlias",
    "lambda:UpdateAlias",
    "lambda:GetAlias",
    "lambda:DeleteAlias",
  ];

  it("lets the production role publish versions and move production's aliases", async () => {
    const production = deployPolicy(scope, "production");
    for (const action of actions) {
      expect(await simulate(production, action, fn(prod)), action).toBe("Allowed");
    }
    expect(await simulate(production, "lambda:UpdateAlias", `${fn(prod)}:live`)).toBe("Allowed");
    // The candidate's AWS_IAM URL and its SDK door, signed with the production role.
    expect(
      await simulate(production, "lambda:InvokeFunctionUrl", `${fn(prod)}:candidate`, {
        "lambda:FunctionUrlAuthType": "AWS_IAM",
      }),
    ).toBe("Allowed");
    expect(await simulate(production, "lambda:InvokeFunction", `${fn(prod)}:candidate`)).toBe("Allowed");
  });

  it("gives the branch role none of them: branch stacks serve $LATEST", async () => {
    const branch = deployPolicy(scope, "branches");
    for (const action of actions)
      expect(await simulate(branch, action, fn(pr)), action).toBe("ImplicitlyDenied");
    expect(await simulate(branch, "lambda:UpdateAlias", `${fn(prod)}:live`)).toBe("ExplicitlyDenied");
  });
});
