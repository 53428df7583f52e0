import { type MockedResource, mockPulumi, outputValue, runProgram } from "lambda-stream-kit/testing/pulumi";
import { beforeAll, describe, expect, it } from "vitest";

// The bootstrap's second `pulumi up`: the account's GitHub provider is the one this very
// stack created on the first run (tagged with the stack). Mocks keep no state between runs,
// so this file is that second run: the program must still declare the provider, under the
// URN of the first run (program.test.ts), or Pulumi would delete it.
const OWN = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
const resources: MockedResource[] = mockPulumi(
  "github-deploy-bootstrap",
  "admin",
  { githubOwner: "acme", githubRepo: "streaming", githubOwnerId: "1234", githubRepoId: "98765" },
  {
    githubOidcProviderArn: OWN,
    githubOidcProviderTags: { "pulumi-stack": "github-deploy-bootstrap/admin" },
  },
);
let program: typeof import("../../../infra/bootstrap/index.js");

beforeAll(async () => {
  program = await runProgram(
    () => import("../../../infra/bootstrap/index.js"),
    (p) => p.ghCommands,
  );
});

describe("the bootstrap run a second time", () => {
  it("keeps declaring the provider it created, with the same URN and retainOnDelete", async () => {
    const providers = resources.filter(
      (r) => r.type === "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
    );
    expect(providers).toHaveLength(1);
    expect(providers[0]?.urn).toBe(
      "urn:pulumi:admin::github-deploy-bootstrap::aws:iam/openIdConnectProvider:OpenIdConnectProvider::github",
    );
    expect(providers[0]?.retainOnDelete).toBe(true);
    expect(program.oidcProviderReused).toBe(false);
    expect(await outputValue(program.oidcProviderArn)).toBe(OWN);
  });
});
