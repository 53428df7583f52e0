/**
 * The bootstrap's IAM documents as pure functions, so tests can evaluate them without AWS.
 * Facts: shared/reference/github-actions.md (OIDC subjects) and the actions the per-branch
 * program's providers call (aws classic for Lambda, IAM and Logs; aws-native through
 * Cloud Control for the Function URL).
 */
export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";
export const GITHUB_OIDC_URL = `https://${GITHUB_OIDC_HOST}`;
export const STS_AUDIENCE = "sts.amazonaws.com";

export interface Statement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Principal?: Record<string, string | string[]>;
  Action: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: Statement[];
}

export interface Repository {
  owner: string;
  name: string;
  /** Numeric ids: repositories created from 2026-07-15 (or opted in) put them in `sub`. */
  ownerId?: string;
  repoId?: string;
}

/**
 * The `sub` patterns this repository's workflows present: pull requests, branch pushes
 * (and dispatch/delete runs on a branch) and jobs in an environment. In the legacy
 * `OWNER/REPO` form always, and in the immutable `OWNER@ID/REPO@ID` form when the ids are
 * known, so the trust holds before and after GitHub switches the repository over.
 */
export function githubSubjects(repo: Repository): string[] {
  const forms = [`${repo.owner}/${repo.name}`];
  if (repo.ownerId && repo.repoId) forms.push(`${repo.owner}@${repo.ownerId}/${repo.name}@${repo.repoId}`);
  return forms.flatMap((form) => [
    `repo:${form}:pull_request`,
    `repo:${form}:ref:refs/heads/*`,
    `repo:${form}:environment:*`,
  ]);
}

/** Who may assume the deploy role: only GitHub's OIDC tokens for this repository, for STS. */
export function trustPolicy(providerArn: string, repo: Repository): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "GitHubActionsOfThisRepository",
        Effect: "Allow",
        Principal: { Federated: providerArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: { [`${GITHUB_OIDC_HOST}:aud`]: STS_AUDIENCE },
          // StringLike with a plain (single-valued) key: never ForAllValues in an Allow.
          StringLike: { [`${GITHUB_OIDC_HOST}:sub`]: githubSubjects(repo) },
        },
      },
    ],
  };
}

export interface DeployScope {
  accountId: string;
  region: string;
  /** Every physical name the program creates starts with `${prefix}-`. */
  prefix: string;
  partition?: string;
  /**
   * The permissions boundary every role the program creates must carry. Without it a
   * deploy role that may create roles and pass them to Lambda could mint an admin role.
   */
  boundaryArn: string;
  /** Self-managed state: the bucket's name and the secrets provider's KMS key ARN. */
  stateBucket?: string;
  kmsKeyArn?: string;
}

/**
 * Least privilege for `pulumi preview/up/refresh/destroy` of the per-branch program:
 * only functions, roles and log groups named with the project prefix, PassRole only of
 * those roles and only to Lambda, and the Cloud Control calls aws-native makes (Cloud
 * Control has no resource-level permissions; it acts with these same credentials, so the
 * Lambda statement still bounds what it can touch).
 */
export function deployPolicy(scope: DeployScope): PolicyDocument {
  const p = scope.partition ?? "aws";
  const { accountId, region, prefix } = scope;
  const functionArn = `arn:${p}:lambda:${region}:${accountId}:function:${prefix}-*`;
  const roleArn = `arn:${p}:iam::${accountId}:role/${prefix}-*`;
  const logGroupArn = `arn:${p}:logs:${region}:${accountId}:log-group:/aws/lambda/${prefix}-*`;
  const statements: Statement[] = [
    {
      Sid: "FunctionsOfThisProject",
      Effect: "Allow",
      Action: [
        "lambda:CreateFunction",
        "lambda:DeleteFunction",
        "lambda:GetFunction",
        "lambda:GetFunctionConfiguration",
        "lambda:UpdateFunctionCode",
        "lambda:UpdateFunctionConfiguration",
        "lambda:ListVersionsByFunction",
        "lambda:GetFunctionCodeSigningConfig",
        "lambda:GetRuntimeManagementConfig",
        "lambda:GetFunctionRecursionConfig",
        "lambda:GetFunctionConcurrency",
        "lambda:TagResource",
        "lambda:UntagResource",
        "lambda:ListTags",
        "lambda:AddPermission",
        "lambda:RemovePermission",
        "lambda:GetPolicy",
        "lambda:CreateFunctionUrlConfig",
        "lambda:UpdateFunctionUrlConfig",
        "lambda:DeleteFunctionUrlConfig",
        "lambda:GetFunctionUrlConfig",
      ],
      Resource: functionArn,
    },
    {
      Sid: "CreateRolesOfThisProjectOnlyWithTheBoundary",
      Effect: "Allow",
      Action: ["iam:CreateRole", "iam:PutRolePolicy"],
      Resource: roleArn,
      Condition: { StringEquals: { "iam:PermissionsBoundary": scope.boundaryArn } },
    },
    {
      Sid: "ManageRolesOfThisProject",
      Effect: "Allow",
      Action: [
        "iam:DeleteRole",
        "iam:GetRole",
        "iam:UpdateRole",
        "iam:UpdateAssumeRolePolicy",
        "iam:TagRole",
        "iam:UntagRole",
        "iam:ListRolePolicies",
        "iam:ListAttachedRolePolicies",
        "iam:ListInstanceProfilesForRole",
        "iam:GetRolePolicy",
        "iam:DeleteRolePolicy",
      ],
      Resource: roleArn,
    },
    {
      Sid: "PassRolesOfThisProjectToLambdaOnly",
      Effect: "Allow",
      Action: "iam:PassRole",
      Resource: roleArn,
      Condition: { StringEquals: { "iam:PassedToService": "lambda.amazonaws.com" } },
    },
    {
      Sid: "LogGroupsOfThisProject",
      Effect: "Allow",
      Action: [
        "logs:CreateLogGroup",
        "logs:DeleteLogGroup",
        "logs:PutRetentionPolicy",
        "logs:DeleteRetentionPolicy",
        "logs:TagResource",
        "logs:UntagResource",
        "logs:ListTagsForResource",
        "logs:TagLogGroup",
        "logs:UntagLogGroup",
        "logs:ListTagsLogGroup",
      ],
      Resource: [logGroupArn, `${logGroupArn}:*`],
    },
    {
      Sid: "DescribeLogGroupsToRefresh",
      Effect: "Allow",
      Action: "logs:DescribeLogGroups",
      Resource: `arn:${p}:logs:${region}:${accountId}:log-group:*`,
    },
    {
      Sid: "CloudControlForAwsNative",
      Effect: "Allow",
      Action: [
        "cloudformation:CreateResource",
        "cloudformation:GetResource",
        "cloudformation:UpdateResource",
        "cloudformation:DeleteResource",
        "cloudformation:GetResourceRequestStatus",
      ],
      Resource: "*",
    },
    { Sid: "WhoAmI", Effect: "Allow", Action: "sts:GetCallerIdentity", Resource: "*" },
  ];
  if (scope.stateBucket) {
    statements.push(
      {
        Sid: "StateBucketList",
        Effect: "Allow",
        Action: ["s3:ListBucket", "s3:GetBucketLocation"],
        Resource: `arn:${p}:s3:::${scope.stateBucket}`,
      },
      {
        Sid: "StateObjects",
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
        Resource: `arn:${p}:s3:::${scope.stateBucket}/*`,
      },
    );
  }
  if (scope.kmsKeyArn) {
    statements.push({
      Sid: "SecretsProviderKey",
      Effect: "Allow",
      Action: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
      Resource: scope.kmsKeyArn,
    });
  }
  return { Version: "2012-10-17", Statement: statements };
}

/** The most any function role of this project may do: write its own logs. */
export function functionBoundaryPolicy(
  scope: Pick<DeployScope, "accountId" | "region" | "prefix" | "partition">,
): PolicyDocument {
  const p = scope.partition ?? "aws";
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "WriteOwnLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: `arn:${p}:logs:${scope.region}:${scope.accountId}:log-group:/aws/lambda/${scope.prefix}-*:*`,
      },
    ],
  };
}

/** The state bucket's own policy: TLS only. */
export function stateBucketPolicy(bucketArn: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: { AWS: "*" },
        Action: "s3:*",
        Resource: [bucketArn, `${bucketArn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ],
  };
}
