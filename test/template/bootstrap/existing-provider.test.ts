import { type MockedResource, mockPulumi, outputValue, runProgram } from "lambda-stream-kit/testing/pulumi";
import { beforeAll, describe, expect, it } from "vitest";

// An account that already has GitHub's OIDC provider (another project's bootstrap made it):
// IAM allows one per issuer URL, so creating a second would fail with EntityAlreadyExists.
const EXISTING = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
const resources: MockedResource[] = mockPulumi(
  "github-deploy-bootstrap",
  "admin",
  { githubOwner: "acme", githubRepo: "streaming", githubOwnerId: "1234", githubRepoId: "98765" },
  { githubOidcProviderArn: EXISTING },
);
let program: typeof import("../../../infra/bootstrap/index.js");

beforeAll(async () => {
  program = await runProgram(
    () => import("../../../infra/bootstrap/index.js"),
    (p) => p.ghCommands,
  );
});

describe("the bootstrap in an account that already has GitHub's OIDC provider", () => {
  it("looks it up and reuses it instead of creating a second one", async () => {
    expect(resources.filter((r) => r.type === "aws:iam/openIdConnectProvider:OpenIdConnectProvider")).toEqual(
      [],
    );
    expect(await outputValue(program.oidcProviderArn)).toBe(EXISTING);
    expect(program.oidcProviderReused).toBe(true);
    const roles = resources.filter((r) => r.type === "aws:iam/role:Role");
    for (const role of roles) expect(String(role.inputs.assumeRolePolicy)).toContain(EXISTING);
  });

  it("prints no S3 backend when self-managed state is off, and the optional settings commented out", async () => {
    const commands = await outputValue(program.ghCommands);
    expect(commands).not.toContain("PULUMI_BACKEND_URL");
    expect(commands).toMatch(
      /^# gh variable set PULUMI_ORG --body '<your-pulumi-org>' --repo acme\/streaming/m,
    );
  });
});
