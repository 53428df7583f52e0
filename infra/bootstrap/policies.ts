/**
 * The bootstrap's IAM documents as pure functions, so tests can evaluate them without AWS.
 * Facts: GitHub's "About security hardening with OpenID Connect" (the `sub` formats, cited
 * at githubSubjects) and the actions the per-branch
 * program's providers call (aws classic for Lambda, IAM and Logs; aws-native through
 * Cloud Control for the Function URL).
 */
import { type DeployTier, DIY_META_KEY, PROTECTED_STACK } from "lambda-stream-kit";
import type { ExtraResource } from "./extra-access.js";

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
  /**
   * Numeric ids. Repositories created, renamed or transferred on or after 2026-07-15 put
   * them in `sub` (`repo:OWNER@OWNER_ID/REPO@REPO_ID:…`, GitHub's OIDC docs), and every
   * repository made from this template is new, so they are required.
   */
  ownerId: string;
  repoId: string;
}

/** Who assumes a role: the branch role (pull requests, branches, `preview`) or production. */
export type { DeployTier };

/** The environment whose jobs may assume the production role, and only they. */
export const PRODUCTION_ENVIRONMENT = "production";
/** The environment the per-branch jobs run in. */
export const PREVIEW_ENVIRONMENT = "preview";
/**
 * The environment of the nightly drift check. Push, schedule and dispatch runs on the default
 * branch all present `ref:refs/heads/<default>`, which the branch role trusts: the drift role is
 * trusted through an environment of its own instead, and trusts nothing else.
 */
export const DRIFT_ENVIRONMENT = "drift";

/** The repository in both `sub` forms: legacy `OWNER/REPO` and immutable `OWNER@ID/REPO@ID`. */
function subjectForms(repo: Repository): string[] {
  return [`${repo.owner}/${repo.name}`, `${repo.owner}@${repo.ownerId}/${repo.name}@${repo.repoId}`];
}

/**
 * The `sub` patterns a tier's role trusts (GitHub's OIDC docs: `:pull_request` for every
 * pull_request event, `:ref:refs/heads/B` for push/dispatch/delete/schedule jobs without an
 * environment, `:environment:NAME` for any job that names an environment). The branch role
 * never trusts `environment:production`; the production role trusts nothing else. Both
 * forms always: repositories created (and not renamed) before 2026-07-15 keep the legacy one until they opt in.
 */
export function githubSubjects(repo: Repository, tier: DeployTier): string[] {
  return subjectForms(repo).flatMap((form) =>
    tier === "production"
      ? [`repo:${form}:environment:${PRODUCTION_ENVIRONMENT}`]
      : [
          `repo:${form}:pull_request`,
          `repo:${form}:ref:refs/heads/*`,
          `repo:${form}:environment:${PREVIEW_ENVIRONMENT}`,
        ],
  );
}

/** Who may assume the drift role: jobs of this repository in the `drift` environment only. */
export function driftTrustPolicy(providerArn: string, repo: Repository): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "GitHubDriftEnvironmentOfThisRepository",
        Effect: "Allow",
        Principal: { Federated: providerArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: { [`${GITHUB_OIDC_HOST}:aud`]: STS_AUDIENCE },
          StringLike: {
            [`${GITHUB_OIDC_HOST}:sub`]: subjectForms(repo).map(
              (form) => `repo:${form}:environment:${DRIFT_ENVIRONMENT}`,
            ),
          },
        },
      },
    ],
  };
}

/**
 * Read-only on production: what `pulumi preview --refresh` of the production stack reads (each
 * resource's state, its tags, its policies; Cloud Control's GetResource for aws-native, which
 * reads with these same credentials), and with a self-managed backend production's state and
 * its key's Decrypt. No action that writes anything (a test lists every action and refuses any
 * Create, Put, Update, Delete, Tag, Add, Remove, Publish, Invoke or Encrypt).
 */
export function driftPolicy(scope: Omit<DeployScope, "boundaryArn">): PolicyDocument {
  const p = scope.partition ?? "aws";
  const { accountId, region, prefix } = scope;
  const stack = scope.protectedStack ?? PROTECTED_STACK;
  const own = `${prefix}-${stack}-*`;
  const restApis = `arn:${p}:apigateway:${region}::/restapis`;
  const statements: Statement[] = [
    {
      Sid: "ReadProductionFunctions",
      Effect: "Allow",
      Action: [
        "lambda:GetFunction",
        "lambda:GetFunctionConfiguration",
        "lambda:ListVersionsByFunction",
        "lambda:GetFunctionCodeSigningConfig",
        "lambda:GetRuntimeManagementConfig",
        "lambda:GetFunctionRecursionConfig",
        "lambda:GetFunctionConcurrency",
        "lambda:ListTags",
        "lambda:GetPolicy",
        "lambda:GetFunctionUrlConfig",
        "lambda:GetAlias",
        "lambda:ListAliases",
      ],
      Resource: [
        `arn:${p}:lambda:${region}:${accountId}:function:${own}`,
        `arn:${p}:lambda:${region}:${accountId}:function:${own}:*`,
      ],
    },
    {
      Sid: "ReadProductionRoles",
      Effect: "Allow",
      Action: [
        "iam:GetRole",
        "iam:ListRolePolicies",
        "iam:ListAttachedRolePolicies",
        "iam:ListInstanceProfilesForRole",
        "iam:GetRolePolicy",
      ],
      Resource: `arn:${p}:iam::${accountId}:role/${own}`,
    },
    {
      Sid: "ReadProductionLogGroups",
      Effect: "Allow",
      Action: ["logs:ListTagsForResource", "logs:ListTagsLogGroup"],
      Resource: [
        `arn:${p}:logs:${region}:${accountId}:log-group:/aws/lambda/${own}`,
        `arn:${p}:logs:${region}:${accountId}:log-group:/aws/lambda/${own}:*`,
      ],
    },
    {
      Sid: "DescribeLogGroupsToRefresh",
      Effect: "Allow",
      Action: "logs:DescribeLogGroups",
      Resource: `arn:${p}:logs:${region}:${accountId}:log-group:*`,
    },
    {
      Sid: "ReadProductionRestApis",
      Effect: "Allow",
      Action: "apigateway:GET",
      Resource: [`${restApis}/*`, `arn:${p}:apigateway:${region}::/tags/*`],
      Condition: { StringEquals: { "aws:ResourceTag/project": prefix, "aws:ResourceTag/stack": stack } },
    },
    { Sid: "CloudControlReads", Effect: "Allow", Action: "cloudformation:GetResource", Resource: "*" },
    { Sid: "WhoAmI", Effect: "Allow", Action: "sts:GetCallerIdentity", Resource: "*" },
    ...(scope.extras ?? []).flatMap((extra): Statement[] =>
      extra.read?.length
        ? [
            {
              Sid: `ReadProduction${extra.sid}`,
              Effect: "Allow",
              Action: extra.read,
              Resource: extra.arn({ partition: p, region, accountId }, own),
            },
          ]
        : [],
    ),
  ];
  if (scope.stateBucket) {
    const bucket = `arn:${p}:s3:::${scope.stateBucket}`;
    statements.push(
      { Sid: "StateBucketLocation", Effect: "Allow", Action: "s3:GetBucketLocation", Resource: bucket },
      {
        Sid: "StateBucketListProduction",
        Effect: "Allow",
        Action: "s3:ListBucket",
        Resource: bucket,
        Condition: { StringLike: { "s3:prefix": "production/*" } },
      },
      {
        Sid: "ReadProductionState",
        Effect: "Allow",
        Action: "s3:GetObject",
        Resource: `${bucket}/production/*`,
      },
    );
  }
  if (scope.kmsKeyArn) {
    statements.push({
      Sid: "DecryptProductionSecrets",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:DescribeKey"],
      Resource: scope.kmsKeyArn,
    });
  }
  return { Version: "2012-10-17", Statement: statements };
}

/** Who may assume a deploy role: only GitHub's OIDC tokens of this repository's tier, for STS. */
export function trustPolicy(providerArn: string, repo: Repository, tier: DeployTier): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid:
          tier === "production"
            ? "GitHubProductionEnvironmentOfThisRepository"
            : "GitHubBranchJobsOfThisRepository",
        Effect: "Allow",
        Principal: { Federated: providerArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: { [`${GITHUB_OIDC_HOST}:aud`]: STS_AUDIENCE },
          // StringLike with a plain (single-valued) key: never ForAllValues in an Allow.
          StringLike: { [`${GITHUB_OIDC_HOST}:sub`]: githubSubjects(repo, tier) },
        },
      },
    ],
  };
}

export interface DeployScope {
  /** What the stack creates beyond the functions (infra/bootstrap/extra-access.ts). */
  extras?: readonly ExtraResource[];
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
  /** The long-lived stack whose resources and state the branch role must not touch. */
  protectedStack?: string;
}

/**
 * Where the DIY backend keeps one stack in the bucket (pulumi/pulumi pkg/backend/diy/store.go
 * and lock.go, project layout): the checkpoint `.pulumi/stacks/<project>/<stack>.json` (also
 * `.json.gz`, `.json.zst` and their `.bak`), `.pulumi/history/<project>/<stack>/`,
 * `.pulumi/backups/<project>/<stack>/`, `.pulumi/journal/<project>/<stack>/`, and the lock
 * `.pulumi/locks/organization/<project>/<stack>/<id>.json`.
 */
export function stackStateObjects(bucketArn: string, project: string, stack: string): string[] {
  return [
    `${bucketArn}/.pulumi/stacks/${project}/${stack}.json*`,
    `${bucketArn}/.pulumi/history/${project}/${stack}/*`,
    `${bucketArn}/.pulumi/backups/${project}/${stack}/*`,
    `${bucketArn}/.pulumi/journal/${project}/${stack}/*`,
    `${bucketArn}/.pulumi/locks/organization/${project}/${stack}/*`,
  ];
}

/**
 * Least privilege for `pulumi preview/up/refresh/destroy` of the per-branch program:
 * only functions, roles and log groups named with the project prefix, PassRole only of
 * those roles and only to Lambda, and the Cloud Control calls aws-native makes (Cloud
 * Control has no resource-level permissions; it acts with these same credentials, so the
 * Lambda statement still bounds what it can touch).
 */
export function deployPolicy(scope: DeployScope, tier: DeployTier): PolicyDocument {
  const p = scope.partition ?? "aws";
  const { accountId, region, prefix } = scope;
  const functionArn = `arn:${p}:lambda:${region}:${accountId}:function:${prefix}-*`;
  const roleArn = `arn:${p}:iam::${accountId}:role/${prefix}-*`;
  const logGroupArn = `arn:${p}:logs:${region}:${accountId}:log-group:/aws/lambda/${prefix}-*`;
  const restApis = `arn:${p}:apigateway:${region}::/restapis`;
  const restApiTags = `arn:${p}:apigateway:${region}::/tags/*`;
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
      // The check's log fetch: a failing request's lines and the REPORT lines its cost line is
      // made of (CloudWatch Logs FilterLogEvents and GetLogEvents act on a log-group resource).
      // The branch role's Deny below keeps production's log groups out of its reach.
      Sid: "ReadLogEventsOfThisProject",
      Effect: "Allow",
      Action: ["logs:FilterLogEvents", "logs:GetLogEvents"],
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
    {
      // The stream check after a deploy: with authType AWS_IAM it signs its requests with
      // these credentials. A Function URL call needs lambda:InvokeFunctionUrl, and AWS's
      // Function URL auth docs name lambda:FunctionUrlAuthType as its condition key.
      Sid: "InvokeFunctionUrlsOfThisProject",
      Effect: "Allow",
      Action: "lambda:InvokeFunctionUrl",
      Resource: functionArn,
      Condition: { StringEquals: { "lambda:FunctionUrlAuthType": "AWS_IAM" } },
    },
    {
      // The check's SDK path: InvokeWithResponseStream "requires permission for the
      // lambda:InvokeFunction action" (AWS Lambda API reference); only this project's functions.
      Sid: "InvokeFunctionsOfThisProject",
      Effect: "Allow",
      Action: "lambda:InvokeFunction",
      Resource: functionArn,
    },
    { Sid: "WhoAmI", Effect: "Allow", Action: "sts:GetCallerIdentity", Resource: "*" },
    // REST API doors (a row's `restApi`). REST API ARNs carry ids, not names
    // (`/restapis/<id>`), so names cannot scope them: the project tag does. The stack tags
    // every API it creates with `project`, and an API's child resources (resources, methods,
    // integrations, deployments, stages) inherit its tags for ABAC (API Gateway developer
    // guide, "API Gateway resources that can be tagged").
    {
      Sid: "CreateRestApisTaggedWithThisProject",
      Effect: "Allow",
      Action: "apigateway:POST",
      Resource: `${restApis}`,
      Condition: { StringEquals: { "aws:RequestTag/project": prefix } },
    },
    {
      Sid: "ManageRestApisOfThisProject",
      Effect: "Allow",
      Action: [
        "apigateway:GET",
        "apigateway:POST",
        "apigateway:PUT",
        "apigateway:PATCH",
        "apigateway:DELETE",
      ],
      Resource: `${restApis}/*`,
      Condition: { StringEquals: { "aws:ResourceTag/project": prefix } },
    },
    {
      // TagResource and UntagResource are PUT and DELETE on /tags/<arn>: the commit tag moves
      // with every deploy.
      Sid: "TagRestApisOfThisProject",
      Effect: "Allow",
      Action: ["apigateway:GET", "apigateway:PUT", "apigateway:DELETE"],
      Resource: restApiTags,
      Condition: { StringEquals: { "aws:ResourceTag/project": prefix } },
    },
    {
      // The tags the conditions read may not change: no adopting another API, no leaving.
      Sid: "NeverRetagProjectOrStack",
      Effect: "Deny",
      Action: ["apigateway:PUT", "apigateway:DELETE"],
      Resource: restApiTags,
      Condition: { "ForAnyValue:StringEquals": { "aws:TagKeys": ["project", "stack"] } },
    },
    // The stack's own resources beyond the functions, named with the project prefix.
    ...(scope.extras ?? []).map(
      (extra): Statement => ({
        Sid: `Manage${extra.sid}OfThisProject`,
        Effect: "Allow",
        Action: extra.manage,
        Resource: extra.arn({ partition: p, region, accountId }, `${prefix}-*`),
      }),
    ),
  ];
  if (tier === "production") {
    // Check-gated promotion (README, "Production"): production publishes a version at every
    // change and moves its `live` and `candidate` aliases; branch stacks serve $LATEST and
    // need none of this.
    statements.push({
      Sid: "VersionsAndAliasesOfProduction",
      Effect: "Allow",
      Action: [
        "lambda:PublishVersion",
        "lambda:ListVersionsByFunction",
        "lambda:CreateAlias",
        "lambda:UpdateAlias",
        "lambda:DeleteAlias",
        "lambda:GetAlias",
        "lambda:ListAliases",
      ],
      Resource: [functionArn, `${functionArn}:*`],
    });
  }
  if (tier === "branches") {
    // Explicit Deny beats every Allow above: the production stack's functions, roles (so
    // no PassRole either), log groups and state are out of a branch job's reach.
    const stack = scope.protectedStack ?? PROTECTED_STACK;
    const bucketArn = scope.stateBucket ? `arn:${p}:s3:::${scope.stateBucket}` : undefined;
    statements.push({
      Sid: "NothingOfTheProductionStack",
      Effect: "Deny",
      Action: "*",
      Resource: [
        `arn:${p}:lambda:${region}:${accountId}:function:${prefix}-${stack}-*`,
        `arn:${p}:iam::${accountId}:role/${prefix}-${stack}-*`,
        `arn:${p}:logs:${region}:${accountId}:log-group:/aws/lambda/${prefix}-${stack}-*`,
        ...(bucketArn ? [`${bucketArn}/production/*`, ...stackStateObjects(bucketArn, prefix, stack)] : []),
        ...(scope.extras ?? []).map((extra) =>
          extra.arn({ partition: p, region, accountId }, `${prefix}-${stack}-*`),
        ),
      ],
    });
    // Production's REST APIs are known by their tag, not their name.
    statements.push(
      {
        Sid: "NoRestApiOfTheProductionStack",
        Effect: "Deny",
        Action: "apigateway:*",
        Resource: [`${restApis}/*`, restApiTags],
        Condition: { StringEquals: { "aws:ResourceTag/stack": stack } },
      },
      {
        Sid: "NoRestApiTaggedAsProduction",
        Effect: "Deny",
        Action: "apigateway:*",
        Resource: [restApis, restApiTags],
        Condition: { StringEquals: { "aws:RequestTag/stack": stack } },
      },
    );
  }
  if (scope.stateBucket) {
    // Each tier's state under its own path (s3://bucket/<tier>, the setup action's state-tier):
    // the DIY backend lists with that prefix and reads every checkpoint it lists, so this role
    // lists, reads and writes its tier's path and nothing else of the bucket.
    const bucket = `arn:${p}:s3:::${scope.stateBucket}`;
    statements.push(
      { Sid: "StateBucketLocation", Effect: "Allow", Action: "s3:GetBucketLocation", Resource: bucket },
      {
        Sid: "StateBucketListOwnTier",
        Effect: "Allow",
        Action: "s3:ListBucket",
        Resource: bucket,
        Condition: { StringLike: { "s3:prefix": `${tier}/*` } },
      },
      {
        Sid: "StateObjectsOwnTier",
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
        Resource: `${bucket}/${tier}/*`,
      },
      {
        // The bootstrap writes each path's meta.yaml (the state layout's version); a role that
        // rewrote it could switch the layout under every stack of its tier.
        Sid: "NeverRewriteTheStateLayout",
        Effect: "Deny",
        Action: ["s3:PutObject", "s3:DeleteObject"],
        Resource: [`${bucket}/${DIY_META_KEY}`, `${bucket}/*/${DIY_META_KEY}`],
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

/**
 * The most any function role of a tier may do: write its own tier's logs. Two boundaries, one
 * per tier: a branch function cannot write into production's log groups (whose lines a
 * production check or a person reads), and a production function cannot write a branch's.
 */
export function functionBoundaryPolicy(
  scope: Pick<DeployScope, "accountId" | "region" | "prefix" | "partition" | "protectedStack" | "extras">,
  tier: DeployTier,
): PolicyDocument {
  const p = scope.partition ?? "aws";
  const stack = scope.protectedStack ?? PROTECTED_STACK;
  const groups = `arn:${p}:logs:${scope.region}:${scope.accountId}:log-group:/aws/lambda/${scope.prefix}-`;
  const actions = ["logs:CreateLogStream", "logs:PutLogEvents"];
  const arnScope = { partition: p, region: scope.region, accountId: scope.accountId };
  // What a row's `permissions` may grant: the extras' `use` actions, on the tier's own resources.
  const use = (names: string) =>
    (scope.extras ?? []).map(
      (extra): Statement => ({
        Sid: `Use${extra.sid}`,
        Effect: "Allow",
        Action: extra.use,
        Resource: extra.arn(arnScope, names),
      }),
    );
  if (tier === "production") {
    return {
      Version: "2012-10-17",
      Statement: [
        { Sid: "WriteProductionLogs", Effect: "Allow", Action: actions, Resource: `${groups}${stack}-*:*` },
        ...use(`${scope.prefix}-${stack}-*`),
      ],
    };
  }
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "WriteOwnLogs", Effect: "Allow", Action: actions, Resource: `${groups}*:*` },
      // A Deny in a boundary caps whatever the role's own policy allows.
      { Sid: "NeverProductionLogs", Effect: "Deny", Action: "logs:*", Resource: `${groups}${stack}-*` },
      ...use(`${scope.prefix}-*`),
      ...(scope.extras ?? []).map(
        (extra): Statement => ({
          Sid: `NeverProduction${extra.sid}`,
          Effect: "Deny",
          Action: extra.use,
          Resource: extra.arn(arnScope, `${scope.prefix}-${stack}-*`),
        }),
      ),
    ],
  };
}

/** The boundary policies' names: outside the `${prefix}-*` roles the deploy roles manage. */
export function boundaryName(prefix: string, tier: DeployTier): string {
  return tier === "production" ? `${prefix}-production-function-boundary` : `${prefix}-function-boundary`;
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
