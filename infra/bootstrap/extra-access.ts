/**
 * Your file: what your stack creates beyond the functions (a table, a bucket, a queue) and what
 * your functions may do with it. The bootstrap reads it into the deploy roles (create, update,
 * read, delete resources named `<project>-<stack>-…`; the branch role never production's) and
 * into the functions' permissions boundaries (a branch function only its own tier's, production's
 * only production's). A row's `permissions` in lambda/functions.ts are capped by that boundary,
 * so add the actions here first, then re-run the bootstrap (`cd infra/bootstrap && pulumi up`).
 */

/** Where an ARN is built: the account and region the bootstrap runs in. */
export interface ArnScope {
  partition: string;
  region: string;
  accountId: string;
}

export interface ExtraResource {
  /** Names the policy statements, e.g. "Tables" (letters and digits). */
  sid: string;
  /** What the deploy roles may do to it: what Pulumi's create, update, refresh and delete call. */
  manage: string[];
  /** What a function may do with it (the boundary allows these; rows pick from them). */
  use: string[];
  /** What `pulumi preview --refresh` reads of it: the drift role's, read-only. */
  read?: string[];
  /** The ARN of the resource(s) with this name; `name` holds wildcards (`my-app-pr-7-*`). */
  arn: (scope: ArnScope, name: string) => string;
}

/**
 * A DynamoDB table named `<project>-<stack>-<suffix>`, as README's "Add your own function" walks
 * through: uncomment to let the stacks create tables and the functions read them.
 */
export const DYNAMODB_TABLES: ExtraResource = {
  sid: "Tables",
  manage: [
    "dynamodb:CreateTable",
    "dynamodb:DeleteTable",
    "dynamodb:DescribeTable",
    "dynamodb:UpdateTable",
    "dynamodb:DescribeContinuousBackups",
    "dynamodb:DescribeTimeToLive",
    "dynamodb:UpdateTimeToLive",
    "dynamodb:TagResource",
    "dynamodb:UntagResource",
    "dynamodb:ListTagsOfResource",
  ],
  use: ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:PutItem"],
  read: [
    "dynamodb:DescribeTable",
    "dynamodb:DescribeContinuousBackups",
    "dynamodb:DescribeTimeToLive",
    "dynamodb:ListTagsOfResource",
  ],
  arn: ({ partition, region, accountId }, name) =>
    `arn:${partition}:dynamodb:${region}:${accountId}:table/${name}`,
};

export const EXTRA_RESOURCES: readonly ExtraResource[] = [
  // DYNAMODB_TABLES,
];
