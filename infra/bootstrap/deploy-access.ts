import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { deployPolicy, functionBoundaryPolicy, type Repository, trustPolicy } from "./policies.js";

export interface DeployAccessArgs {
  repository: Repository;
  providerArn: pulumi.Input<string>;
  accountId: pulumi.Input<string>;
  region: pulumi.Input<string>;
  prefix: string;
  stateBucket?: pulumi.Input<string> | undefined;
  kmsKeyArn?: pulumi.Input<string> | undefined;
}

/** The role GitHub Actions assumes, and the boundary every role it creates must carry. */
export class DeployAccess extends pulumi.ComponentResource {
  readonly roleArn: pulumi.Output<string>;
  readonly boundaryArn: pulumi.Output<string>;

  constructor(name: string, args: DeployAccessArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lambda-streaming:bootstrap:DeployAccess", name, {}, opts);
    const parent = { parent: this };
    const boundary = new aws.iam.Policy(
      `${name}-function-boundary`,
      {
        // Outside the `${prefix}-*` role pattern the deploy role may manage.
        name: `${args.prefix}-function-boundary`,
        policy: pulumi
          .all([args.accountId, args.region])
          .apply(([accountId, region]) =>
            JSON.stringify(functionBoundaryPolicy({ accountId, region, prefix: args.prefix })),
          ),
      },
      parent,
    );
    const role = new aws.iam.Role(
      `${name}-role`,
      {
        // Deliberately not `${prefix}-…`: the deploy role must not be able to edit itself.
        name: `github-deploy-${args.prefix}`,
        description: `GitHub Actions of ${args.repository.owner}/${args.repository.name} deploy ${args.prefix} stacks`,
        assumeRolePolicy: pulumi
          .output(args.providerArn)
          .apply((providerArn) => JSON.stringify(trustPolicy(providerArn, args.repository))),
        maxSessionDuration: 3600,
      },
      parent,
    );
    new aws.iam.RolePolicy(
      `${name}-policy`,
      {
        role: role.name,
        name: "deploy-per-branch-stacks",
        policy: pulumi
          .all([args.accountId, args.region, boundary.arn, args.stateBucket, args.kmsKeyArn])
          .apply(([accountId, region, boundaryArn, stateBucket, kmsKeyArn]) =>
            JSON.stringify(
              deployPolicy({
                accountId,
                region,
                prefix: args.prefix,
                boundaryArn,
                ...(stateBucket ? { stateBucket } : {}),
                ...(kmsKeyArn ? { kmsKeyArn } : {}),
              }),
            ),
          ),
      },
      parent,
    );
    this.roleArn = role.arn;
    this.boundaryArn = boundary.arn;
    this.registerOutputs({ roleArn: this.roleArn, boundaryArn: this.boundaryArn });
  }
}
