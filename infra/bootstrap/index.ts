// Run once per AWS account, by a person with admin rights: `cd infra/bootstrap && pulumi up`.
// Creates what the workflows need to deploy without long-lived keys, and prints the
// repository variables to set.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { readProjectName } from "lambda-stream-kit";
import { DeployAccess } from "./deploy-access.js";
import { repositoryCommands } from "./gh-commands.js";
import { GITHUB_OIDC_URL, STS_AUDIENCE } from "./policies.js";
import { readBootstrapConfig, resolveRepository } from "./settings.js";
import { StateBackend } from "./state-backend.js";

const settings = readBootstrapConfig(new pulumi.Config());
// The stack's project (`name:` in infra/Pulumi.yaml): every name the roles may manage starts with it.
const PROJECT_NAME = readProjectName();
// Refuses (printing the gh api commands) before anything is created when the ids are unknown.
const repository = await resolveRepository(settings.repository);
const identity = aws.getCallerIdentityOutput();
const region = aws.getRegionOutput().region;

/** The tag that marks the provider this very stack created, so a re-run keeps declaring it. */
const OWNER_TAG = "pulumi-stack";
const owner = `${pulumi.getProject()}/${pulumi.getStack()}`;

/**
 * An AWS account may have only one OIDC provider per issuer URL (IAM's CreateOpenIDConnectProvider
 * fails with EntityAlreadyExists): reuse the configured one, else the one already there, unless
 * it is this stack's own. A second `pulumi up` finds the provider the first one created; a
 * program that stopped declaring it would make Pulumi delete it, and every job would then fail
 * AssumeRoleWithWebIdentity.
 */
async function existingGithubProvider(): Promise<string | undefined> {
  if (settings.existingOidcProviderArn) return settings.existingOidcProviderArn;
  try {
    const found = await aws.iam.getOpenIdConnectProvider({ url: GITHUB_OIDC_URL });
    return found.tags?.[OWNER_TAG] === owner ? undefined : found.arn;
  } catch {
    return undefined; // none in this account: create it below
  }
}
const existing = await existingGithubProvider();
const providerArn: pulumi.Output<string> = existing
  ? pulumi.output(existing)
  : new aws.iam.OpenIdConnectProvider(
      "github",
      {
        url: GITHUB_OIDC_URL,
        clientIdLists: [STS_AUDIENCE],
        tags: { project: PROJECT_NAME, [OWNER_TAG]: owner },
      },
      // One provider serves every repository of the account that uses GitHub's OIDC: a
      // `destroy` of this stack leaves it (README, "Clean up", says how to delete it by hand).
      { retainOnDelete: true },
    ).arn;

const state = settings.selfManagedState ? new StateBackend("state", { prefix: PROJECT_NAME }) : undefined;

const access = new DeployAccess("deploy", {
  repository,
  providerArn,
  accountId: identity.accountId,
  region,
  prefix: PROJECT_NAME,
  stateBucket: state?.bucketName,
  kmsKeyArn: state?.keyArn,
});

export const oidcProviderArn = providerArn;
export const oidcProviderReused = existing !== undefined;
export const branchRoleArn = access.branchRoleArn;
export const productionRoleArn = access.productionRoleArn;
export const driftRoleArn = access.driftRoleArn;
export const permissionsBoundaryArn = access.boundaryArn;
export const productionPermissionsBoundaryArn = access.productionBoundaryArn;
/** Set these as repository variables (Settings > Secrets and variables > Actions > Variables). */
export const repositoryVariables = pulumi
  .all([
    access.branchRoleArn,
    access.productionRoleArn,
    access.driftRoleArn,
    access.boundaryArn,
    access.productionBoundaryArn,
    region,
    state?.backendUrl,
    state?.secretsProvider,
  ])
  .apply(
    ([
      branchRole,
      productionRole,
      driftRole,
      boundary,
      productionBoundary,
      awsRegion,
      backendUrl,
      secretsProvider,
    ]) => ({
      AWS_ROLE_ARN: branchRole,
      AWS_PRODUCTION_ROLE_ARN: productionRole,
      AWS_DRIFT_ROLE_ARN: driftRole,
      AWS_REGION: awsRegion,
      PERMISSIONS_BOUNDARY_ARN: boundary,
      PRODUCTION_PERMISSIONS_BOUNDARY_ARN: productionBoundary,
      ...(backendUrl ? { PULUMI_BACKEND_URL: backendUrl } : {}),
      ...(secretsProvider ? { PULUMI_SECRETS_PROVIDER: secretsProvider } : {}),
    }),
  );
/** Ready-to-run `gh` lines: the values above, then the choices only you can make, commented. */
export const ghCommands = repositoryVariables.apply((variables) =>
  repositoryCommands(`${repository.owner}/${repository.name}`, variables),
);
