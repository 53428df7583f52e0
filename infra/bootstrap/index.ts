// Run once per AWS account, by a person with admin rights: `cd infra/bootstrap && pulumi up`.
// Creates what the workflows need to deploy without long-lived keys, and prints the
// repository variables to set.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PROJECT_NAME } from "../naming.js";
import { DeployAccess } from "./deploy-access.js";
import { readBootstrapSettings } from "./settings.js";
import { StateBackend } from "./state-backend.js";

const settings = readBootstrapSettings(new pulumi.Config());
const identity = aws.getCallerIdentityOutput();
const region = aws.getRegionOutput().region;

const provider = settings.existingOidcProviderArn
  ? undefined
  : new aws.iam.OpenIdConnectProvider("github", {
      url: "https://token.actions.githubusercontent.com",
      clientIdLists: ["sts.amazonaws.com"],
      tags: { project: PROJECT_NAME },
    });
const providerArn = settings.existingOidcProviderArn ?? (provider as aws.iam.OpenIdConnectProvider).arn;

const state = settings.selfManagedState ? new StateBackend("state", { prefix: PROJECT_NAME }) : undefined;

const access = new DeployAccess("deploy", {
  repository: settings.repository,
  providerArn,
  accountId: identity.accountId,
  region,
  prefix: PROJECT_NAME,
  stateBucket: state?.bucketName,
  kmsKeyArn: state?.keyArn,
});

export const oidcProviderArn = providerArn;
export const deployRoleArn = access.roleArn;
export const permissionsBoundaryArn = access.boundaryArn;
/** Paste these as repository variables (Settings > Secrets and variables > Actions > Variables). */
export const repositoryVariables = pulumi
  .all([access.roleArn, access.boundaryArn, region, state?.backendUrl, state?.secretsProvider])
  .apply(([role, boundary, awsRegion, backendUrl, secretsProvider]) => ({
    AWS_ROLE_ARN: role,
    AWS_REGION: awsRegion,
    PERMISSIONS_BOUNDARY_ARN: boundary,
    ...(backendUrl ? { PULUMI_BACKEND_URL: backendUrl } : {}),
    ...(secretsProvider ? { PULUMI_SECRETS_PROVIDER: secretsProvider } : {}),
  }));
export const ghCommands = repositoryVariables.apply((variables) =>
  Object.entries(variables)
    .map(
      ([name, value]) =>
        `gh variable set ${name} --body '${value}' --repo ${settings.repository.owner}/${settings.repository.name}`,
    )
    .join("\n"),
);
