import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DEPLOY_TIERS, DIY_META_CONTENT, DIY_META_KEY } from "lambda-stream-kit";
import { stateBucketPolicy } from "./policies.js";

/** Self-managed Pulumi state: a private, versioned, encrypted, TLS-only bucket and a KMS key. */
export class StateBackend extends pulumi.ComponentResource {
  readonly bucketName: pulumi.Output<string>;
  readonly keyArn: pulumi.Output<string>;
  readonly backendUrl: pulumi.Output<string>;
  readonly secretsProvider: pulumi.Output<string>;

  constructor(name: string, args: { prefix: string }, opts?: pulumi.ComponentResourceOptions) {
    super(`${pulumi.getProject()}:bootstrap:StateBackend`, name, {}, opts);
    // State outlives everything else: never let a `destroy` of this project delete it.
    const keep = { parent: this, protect: true };
    const key = new aws.kms.Key(
      `${name}-key`,
      { description: `Pulumi secrets for ${args.prefix}`, enableKeyRotation: true, deletionWindowInDays: 30 },
      keep,
    );
    const alias = new aws.kms.Alias(
      `${name}-key-alias`,
      { name: `alias/${args.prefix}-pulumi`, targetKeyId: key.keyId },
      keep,
    );
    const bucket = new aws.s3.Bucket(
      `${name}-bucket`,
      { bucketPrefix: `${args.prefix}-pulumi-state-` },
      keep,
    );
    new aws.s3.BucketVersioning(
      `${name}-versioning`,
      { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
      keep,
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-encryption`,
      {
        bucket: bucket.id,
        rules: [
          {
            applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.arn },
            bucketKeyEnabled: true,
          },
        ],
      },
      keep,
    );
    new aws.s3.BucketPublicAccessBlock(
      `${name}-no-public-access`,
      {
        bucket: bucket.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
      keep,
    );
    new aws.s3.BucketPolicy(
      `${name}-tls-only`,
      { bucket: bucket.id, policy: bucket.arn.apply((arn) => JSON.stringify(stateBucketPolicy(arn))) },
      keep,
    );
    // Each tier's path starts with the state layout's metadata, written here once: the first
    // `pulumi login` would write it otherwise (pulumi/pulumi pkg/backend/diy/meta.go
    // ensurePulumiMeta), and the deploy roles are denied rewriting it.
    for (const tier of DEPLOY_TIERS) {
      new aws.s3.BucketObjectv2(
        `${name}-${tier}-meta`,
        {
          bucket: bucket.id,
          key: `${tier}/${DIY_META_KEY}`,
          content: DIY_META_CONTENT,
          contentType: "application/yaml",
        },
        keep,
      );
    }
    this.bucketName = bucket.bucket;
    this.keyArn = key.arn;
    this.backendUrl = pulumi.interpolate`s3://${bucket.bucket}?region=${bucket.region}`;
    this.secretsProvider = pulumi.interpolate`awskms://${alias.name}?region=${bucket.region}`;
    this.registerOutputs({ bucketName: this.bucketName, keyArn: this.keyArn });
  }
}
