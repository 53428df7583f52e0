import type * as pulumi from "@pulumi/pulumi";
import { type MockedResource, mockPulumi, outputValue, runProgram } from "lambda-stream-kit/testing/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { trustPolicy } from "../../../infra/bootstrap/policies.js";
import { readBootstrapConfig } from "../../../infra/bootstrap/settings.js";
import { workflowSettings } from "../helpers/workflow-settings.js";

const resources: MockedResource[] = mockPulumi("github-deploy-bootstrap", "admin", {
  githubOwner: "acme",
  githubRepo: "streaming",
  githubOwnerId: "1234",
  githubRepoId: "98765",
  selfManagedState: "true",
});
const ofType = (type: string) => resources.filter((r) => r.type === type);
/** The provider's URN on every run of this stack: a re-run must declare the same one. */
const OWN_PROVIDER_URN =
  "urn:pulumi:admin::github-deploy-bootstrap::aws:iam/openIdConnectProvider:OpenIdConnectProvider::github";
let program: typeof import("../../../infra/bootstrap/index.js");

beforeAll(async () => {
  program = await runProgram(
    () => import("../../../infra/bootstrap/index.js"),
    (p) => p.ghCommands,
  );
});

describe("the bootstrap program", () => {
  it("creates GitHub's OIDC provider for STS, without thumbprints", () => {
    const [provider] = ofType("aws:iam/openIdConnectProvider:OpenIdConnectProvider");
    expect(provider?.inputs.url).toBe("https://token.actions.githubusercontent.com");
    expect(provider?.inputs.clientIdLists).toEqual(["sts.amazonaws.com"]);
    expect(provider?.inputs.thumbprintLists).toBeUndefined();
  });

  it("marks the provider as this stack's and keeps it on destroy (other repositories may use it)", () => {
    const [provider] = ofType("aws:iam/openIdConnectProvider:OpenIdConnectProvider");
    expect(provider?.inputs.tags).toMatchObject({ "pulumi-stack": "github-deploy-bootstrap/admin" });
    expect(provider?.urn).toBe(OWN_PROVIDER_URN);
    expect(provider?.retainOnDelete).toBe(true);
  });

  it.each(["branches", "production"] as const)(
    "creates the %s role trusting only this repository's tier, in both subject forms",
    (tier) => {
      const role = ofType("aws:iam/role:Role").find(
        (r) => r.inputs.name === `github-deploy-lambda-streaming-${tier}`,
      );
      const provider = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
      expect(JSON.parse(String(role?.inputs.assumeRolePolicy))).toEqual(
        trustPolicy(provider, { owner: "acme", name: "streaming", ownerId: "1234", repoId: "98765" }, tier),
      );
    },
  );

  it("denies the branch role the production stack, and not the production role", () => {
    const policies = ofType("aws:iam/rolePolicy:RolePolicy");
    const sids = (name: string) =>
      JSON.parse(String(policies.find((p) => p.inputs.name === name)?.inputs.policy)).Statement.map(
        (s: { Sid: string }) => s.Sid,
      );
    expect(sids("deploy-branches-stacks")).toContain("NothingOfTheProductionStack");
    expect(sids("deploy-production-stacks")).not.toContain("NothingOfTheProductionStack");
  });

  it("attaches the least-privilege deploy policy, including the state bucket and key", () => {
    const policy = ofType("aws:iam/rolePolicy:RolePolicy").find(
      (r) => r.inputs.name === "deploy-branches-stacks",
    );
    const document = JSON.parse(String(policy?.inputs.policy));
    const sids = document.Statement.map((s: { Sid: string }) => s.Sid);
    expect(sids).toContain("CreateRolesOfThisProjectOnlyWithTheBoundary");
    expect(sids).toContain("StateObjectsOwnTier");
    expect(sids).toContain("SecretsProviderKey");
    const boundary = document.Statement.find(
      (s: { Sid: string }) => s.Sid === "CreateRolesOfThisProjectOnlyWithTheBoundary",
    );
    expect(boundary.Condition.StringEquals["iam:PermissionsBoundary"]).toMatch(
      /lambda-streaming-function-boundary/,
    );
  });

  it("creates a private, versioned, KMS-encrypted, TLS-only state bucket", () => {
    expect(ofType("aws:s3/bucketVersioning:BucketVersioning")[0]?.inputs.versioningConfiguration).toEqual({
      status: "Enabled",
    });
    const encryption = ofType(
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    )[0];
    expect(JSON.stringify(encryption?.inputs.rules)).toContain('"sseAlgorithm":"aws:kms"');
    expect(ofType("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")[0]?.inputs).toMatchObject({
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    const policy = JSON.parse(String(ofType("aws:s3/bucketPolicy:BucketPolicy")[0]?.inputs.policy));
    expect(policy.Statement[0]).toMatchObject({
      Effect: "Deny",
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
    expect(ofType("aws:kms/key:Key")[0]?.inputs.enableKeyRotation).toBe(true);
  });

  it("writes each tier's meta.yaml (the DIY state layout's version) once, protected", () => {
    const metas = ofType("aws:s3/bucketObjectv2:BucketObjectv2");
    expect(metas.map((m) => [m.inputs.key, m.inputs.content]).sort()).toEqual([
      ["branches/.pulumi/meta.yaml", "version: 1\n"],
      ["production/.pulumi/meta.yaml", "version: 1\n"],
    ]);
  });

  it("prints the repository variables to set, as values and as gh commands", async () => {
    const variables = await outputValue(program.repositoryVariables);
    expect(Object.keys(variables).sort()).toEqual([
      "AWS_DRIFT_ROLE_ARN",
      "AWS_PRODUCTION_ROLE_ARN",
      "AWS_REGION",
      "AWS_ROLE_ARN",
      "PERMISSIONS_BOUNDARY_ARN",
      "PRODUCTION_PERMISSIONS_BOUNDARY_ARN",
      "PULUMI_BACKEND_URL",
      "PULUMI_SECRETS_PROVIDER",
    ]);
    expect(variables.AWS_ROLE_ARN).toBe(
      "arn:aws:iam::123456789012:role/github-deploy-lambda-streaming-branches",
    );
    expect(variables.AWS_PRODUCTION_ROLE_ARN).toBe(
      "arn:aws:iam::123456789012:role/github-deploy-lambda-streaming-production",
    );
    expect(variables.PULUMI_BACKEND_URL).toMatch(/^s3:\/\//);
    expect(variables.PULUMI_SECRETS_PROVIDER).toMatch(/^awskms:\/\/alias\/lambda-streaming-pulumi/);
    const commands = await outputValue(program.ghCommands);
    expect(commands).toContain(
      `gh variable set AWS_ROLE_ARN --body '${variables.AWS_ROLE_ARN}' --repo acme/streaming`,
    );
  });
});

describe("the bootstrap's ghCommands", () => {
  it("prints a gh line for every repository variable and secret the workflows read", async () => {
    const commands = await outputValue(program.ghCommands);
    const { variables, secrets } = workflowSettings();
    expect(variables.length).toBeGreaterThanOrEqual(9);
    for (const name of variables) expect(commands).toMatch(new RegExp(`gh variable set ${name} `));
    for (const name of secrets) expect(commands).toMatch(new RegExp(`gh secret set ${name} `));
  });
});

describe("bootstrap settings", () => {
  const config = (values: Record<string, string>) =>
    ({
      get: (k: string) => values[k],
      getBoolean: (k: string) => (values[k] ? values[k] === "true" : undefined),
    }) as unknown as pulumi.Config;

  it.each([
    [{}, /config githubOwner is required: pulumi config set githubOwner/],
    [{ githubOwner: "acme" }, /config githubRepo is required/],
    [{ githubOwner: "-bad", githubRepo: "r" }, /not a GitHub owner name/],
    [
      { githubOwner: "acme", githubRepo: "r", githubOwnerId: "1" },
      /githubOwnerId and githubRepoId go together/,
    ],
    [
      { githubOwner: "acme", githubRepo: "r", githubOwnerId: "x", githubRepoId: "2" },
      /githubOwnerId="x" must be numeric/,
    ],
    [
      { githubOwner: "acme", githubRepo: "r", existingOidcProviderArn: "arn:aws:iam::1:role/x" },
      /is not GitHub's OIDC provider ARN/,
    ],
  ])("rejects %j with a message naming the key", (values, message) => {
    expect(() => readBootstrapConfig(config(values as Record<string, string>))).toThrow(message);
  });
});
