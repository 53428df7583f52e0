import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { EXTRA_RESOURCES } from "./extra-access.js";
import {
  boundaryName,
  type DeployTier,
  deployPolicy,
  driftPolicy,
  driftTrustPolicy,
  functionBoundaryPolicy,
  type Repository,
  trustPolicy,
} from "./policies.js";

export interface DeployAccessArgs {
  repository: Repository;
  providerArn: pulumi.Input<string>;
  accountId: pulumi.Input<string>;
  region: pulumi.Input<string>;
  prefix: string;
  stateBucket?: pulumi.Input<string> | undefined;
  kmsKeyArn?: pulumi.Input<string> | undefined;
}

/**
 * The roles GitHub Actions assume, and the boundary every role they create must carry: the
 * branch role (pull requests, branches, the `preview` environment; denied everything of the
 * production stack), the production role (only jobs in the `production` environment), and the
 * drift role (only jobs in the `drift` environment; read-only on production).
 */
export class DeployAccess extends pulumi.ComponentResource {
  readonly branchRoleArn: pulumi.Output<string>;
  readonly productionRoleArn: pulumi.Output<string>;
  readonly driftRoleArn: pulumi.Output<string>;
  /** The branch functions' boundary. */
  readonly boundaryArn: pulumi.Output<string>;
  readonly productionBoundaryArn: pulumi.Output<string>;

  constructor(name: string, args: DeployAccessArgs, opts?: pulumi.ComponentResourceOptions) {
    super(`${pulumi.getProject()}:bootstrap:DeployAccess`, name, {}, opts);
    const parent = { parent: this };
    const boundaryFor = (tier: DeployTier) =>
      new aws.iam.Policy(
        tier === "production" ? `${name}-production-function-boundary` : `${name}-function-boundary`,
        {
          name: boundaryName(args.prefix, tier),
          policy: pulumi
            .all([args.accountId, args.region])
            .apply(([accountId, region]) =>
              JSON.stringify(
                functionBoundaryPolicy(
                  { accountId, region, prefix: args.prefix, extras: EXTRA_RESOURCES },
                  tier,
                ),
              ),
            ),
        },
        parent,
      );
    const boundaries = { branches: boundaryFor("branches"), production: boundaryFor("production") };
    const role = (tier: DeployTier) => {
      const created = new aws.iam.Role(
        `${name}-${tier}-role`,
        {
          // Deliberately not `${prefix}-…`: a deploy role must not be able to edit itself.
          name: `github-deploy-${args.prefix}-${tier}`,
          description: `GitHub Actions of ${args.repository.owner}/${args.repository.name} deploy ${args.prefix} ${tier === "production" ? "production" : "branch"} stacks`,
          assumeRolePolicy: pulumi
            .output(args.providerArn)
            .apply((providerArn) => JSON.stringify(trustPolicy(providerArn, args.repository, tier))),
          maxSessionDuration: 3600,
        },
        parent,
      );
      new aws.iam.RolePolicy(
        `${name}-${tier}-policy`,
        {
          role: created.name,
          name: `deploy-${tier}-stacks`,
          policy: pulumi
            .all([args.accountId, args.region, boundaries[tier].arn, args.stateBucket, args.kmsKeyArn])
            .apply(([accountId, region, boundaryArn, stateBucket, kmsKeyArn]) =>
              JSON.stringify(
                deployPolicy(
                  {
                    accountId,
                    region,
                    prefix: args.prefix,
                    extras: EXTRA_RESOURCES,
                    boundaryArn,
                    ...(stateBucket ? { stateBucket } : {}),
                    ...(kmsKeyArn ? { kmsKeyArn } : {}),
                  },
                  tier,
                ),
              ),
            ),
        },
        parent,
      );
      return created;
    };
    const drift = new aws.iam.Role(
      `${name}-drift-role`,
      {
        name: `github-drift-${args.prefix}`,
        description: `GitHub Actions of ${args.repository.owner}/${args.repository.name} check ${args.prefix} production for drift (read-only)`,
        assumeRolePolicy: pulumi
          .output(args.providerArn)
          .apply((providerArn) => JSON.stringify(driftTrustPolicy(providerArn, args.repository))),
        maxSessionDuration: 3600,
      },
      parent,
    );
    new aws.iam.RolePolicy(
      `${name}-drift-policy`,
      {
        role: drift.name,
        name: "read-production",
        policy: pulumi
          .all([args.accountId, args.region, args.stateBucket, args.kmsKeyArn])
          .apply(([accountId, region, stateBucket, kmsKeyArn]) =>
            JSON.stringify(
              driftPolicy({
                accountId,
                region,
                prefix: args.prefix,
                extras: EXTRA_RESOURCES,
                ...(stateBucket ? { stateBucket } : {}),
                ...(kmsKeyArn ? { kmsKeyArn } : {}),
              }),
            ),
          ),
      },
      parent,
    );
    this.driftRoleArn = drift.arn;
    this.branchRoleArn = role("branches").arn;
    this.productionRoleArn = role("production").arn;
    this.boundaryArn = boundaries.branches.arn;
    this.productionBoundaryArn = boundaries.production.arn;
    this.registerOutputs({
      branchRoleArn: this.branchRoleArn,
      productionRoleArn: this.productionRoleArn,
      driftRoleArn: this.driftRoleArn,
      boundaryArn: this.boundaryArn,
      productionBoundaryArn: this.productionBoundaryArn,
    });
  }
}
