import * as aws from "@pulumi/aws";
import * as awsNative from "@pulumi/aws-native";
import * as pulumi from "@pulumi/pulumi";
import type { AuthType, InvokeMode, UrlCors } from "../contract.js";
import type { PolicyStatement, RestApiSettings } from "../functions.js";
import { LAMBDA_ARCHITECTURE, type LambdaRuntime } from "../runtime.js";
import type { PhysicalNames } from "./naming.js";

/** The component's type token: `<project>:index:UrlFunction` (Pulumi's `<package>:<module>:<type>`). */
export function urlFunctionType(project: string): string {
  return `${project}:index:UrlFunction`;
}

export interface UrlFunctionArgs {
  /** The Pulumi project's name: the component's type token starts with it. */
  project: string;
  names: PhysicalNames;
  invokeMode: InvokeMode;
  authType: AuthType;
  /** The URL's CORS; none when undefined (AWS's default). */
  cors?: UrlCors | undefined;
  /** The bundle, e.g. an AssetArchive holding index.mjs. */
  code: pulumi.asset.Archive;
  handler: string;
  runtime: LambdaRuntime;
  memoryMb: number;
  timeoutS: number;
  logRetentionDays: number;
  environment: Record<string, string>;
  permissionsBoundaryArn?: string | undefined;
  tags: Record<string, string>;
  /** More statements for the function's role (the row's `permissions`); the boundary caps them. */
  permissions?: PolicyStatement[] | undefined;
  /** Other aws.lambda.Function arguments, passed through (the row's `functionArgs`). */
  functionArgs?: Record<string, unknown> | undefined;
  /** A REST API in front of the function too (the row's `restApi`, defaults applied). */
  restApi?: Required<RestApiSettings> | undefined;
  /**
   * Production's check-gated promotion: publish a version at every change, serve users through
   * the `live` alias (at the version `live` returns for the one just published) and the new
   * version through `candidate`, with an AWS_IAM URL of its own. Branch stacks leave it out and
   * serve `$LATEST` directly.
   */
  promotion?: { live: (published: pulumi.Output<string>) => pulumi.Input<string> } | undefined;
}

/** The aliases of a promoted function: what users reach, and what the check reads first. */
export const LIVE_ALIAS = "live";
export const CANDIDATE_ALIAS = "candidate";

/** A REST API's integration timeout: the function's, within what a STREAM integration allows. */
export const STREAM_INTEGRATION_TIMEOUT_MS = { min: 50, max: 900_000 } as const;

const LAMBDA_ASSUME_ROLE = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
});

/**
 * One function behind one Function URL, streamed or buffered, with everything it owns: its
 * role, its log group (created first and declared here, so `pulumi destroy` removes it
 * instead of leaving a never-expiring group behind) and, for a public URL, the
 * resource-policy statements.
 */
export class UrlFunction extends pulumi.ComponentResource {
  readonly functionName: pulumi.Output<string>;
  readonly functionArn: pulumi.Output<string>;
  readonly url: pulumi.Output<string>;
  readonly logGroupName: pulumi.Output<string>;
  /** The REST API stage's URL (with a trailing slash), when the row has a REST API door. */
  readonly restApiUrl: pulumi.Output<string> | undefined;
  /** The name an SDK invokes: `<function>:live` when promoted, else the function. */
  readonly invokeName: pulumi.Output<string>;
  /** Promoted functions: the candidate's URL and name, and the versions of both aliases. */
  readonly candidateUrl: pulumi.Output<string> | undefined;
  readonly candidateInvokeName: pulumi.Output<string> | undefined;
  readonly liveVersion: pulumi.Output<string> | undefined;
  readonly candidateVersion: pulumi.Output<string> | undefined;

  constructor(name: string, args: UrlFunctionArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super(urlFunctionType(args.project), name, {}, opts);
    const parent = { parent: this };
    const { names, tags } = args;

    const role = new aws.iam.Role(
      `${name}-role`,
      {
        name: names.roleName,
        assumeRolePolicy: LAMBDA_ASSUME_ROLE,
        ...(args.permissionsBoundaryArn ? { permissionsBoundary: args.permissionsBoundaryArn } : {}),
        tags,
      },
      parent,
    );

    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      { name: names.logGroupName, retentionInDays: args.logRetentionDays, tags },
      parent,
    );

    // Not AWSLambdaBasicExecutionRole: that grants logs:CreateLogGroup on every group, so a
    // late log line after `destroy` would quietly recreate the group. This one can only
    // write to its own, existing group.
    const logPolicy = new aws.iam.RolePolicy(
      `${name}-log-policy`,
      {
        name: names.logPolicyName,
        role: role.name,
        policy: pulumi.jsonStringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
              Resource: pulumi.interpolate`${logGroup.arn}:*`,
            },
          ],
        }),
      },
      parent,
    );

    // The row's own statements, in a policy of their own: what the function may call.
    const ownPolicies = args.permissions?.length
      ? [
          new aws.iam.RolePolicy(
            `${name}-permissions`,
            {
              name: "row-permissions",
              role: role.name,
              policy: JSON.stringify({ Version: "2012-10-17", Statement: args.permissions }),
            },
            parent,
          ),
        ]
      : [];

    const fn = new aws.lambda.Function(
      `${name}-function`,
      {
        ...(args.functionArgs as Partial<aws.lambda.FunctionArgs>),
        ...(args.promotion ? { publish: true } : {}),
        name: names.functionName,
        role: role.arn,
        runtime: args.runtime,
        architectures: [LAMBDA_ARCHITECTURE],
        handler: args.handler,
        code: args.code,
        memorySize: args.memoryMb,
        timeout: args.timeoutS,
        environment: { variables: args.environment },
        loggingConfig: { logFormat: "Text", logGroup: logGroup.name },
        tags,
      },
      { ...parent, dependsOn: [logGroup, logPolicy, ...ownPolicies] },
    );

    // Promoted: users reach the `live` alias; the new version waits behind `candidate`.
    const aliases = args.promotion
      ? {
          candidate: new aws.lambda.Alias(
            `${name}-candidate`,
            { name: CANDIDATE_ALIAS, functionName: fn.name, functionVersion: fn.version },
            parent,
          ),
          live: new aws.lambda.Alias(
            `${name}-live`,
            { name: LIVE_ALIAS, functionName: fn.name, functionVersion: args.promotion.live(fn.version) },
            parent,
          ),
        }
      : undefined;
    const url = new awsNative.lambda.Url(
      `${name}-url`,
      {
        targetFunctionArn: fn.arn,
        ...(aliases ? { qualifier: LIVE_ALIAS } : {}),
        authType: args.authType,
        invokeMode: args.invokeMode,
        ...(args.cors ? { cors: args.cors } : {}),
      },
      { ...parent, ...(aliases ? { dependsOn: [aliases.live] } : {}) },
    );
    // Only the deploy role may read the candidate: its URL takes signed requests (the check signs).
    const candidateUrl =
      aliases &&
      new awsNative.lambda.Url(
        `${name}-candidate-url`,
        {
          targetFunctionArn: fn.arn,
          qualifier: CANDIDATE_ALIAS,
          authType: "AWS_IAM",
          invokeMode: args.invokeMode,
        },
        { ...parent, dependsOn: [aliases.candidate] },
      );

    // Since October 2025 a public URL needs both statements; either alone answers 403.
    // With AWS_IAM no public statement exists at all: callers need IAM permission.
    const permissions: aws.lambda.Permission[] = [];
    if (args.authType === "NONE") {
      permissions.push(
        new aws.lambda.Permission(
          `${name}-public-url`,
          {
            function: fn.name,
            action: "lambda:InvokeFunctionUrl",
            principal: "*",
            functionUrlAuthType: "NONE",
            // Scoped to the live alias when promoted: the public may call live, never candidate.
            ...(aliases ? { qualifier: LIVE_ALIAS } : {}),
          },
          parent,
        ),
        new aws.lambda.Permission(
          `${name}-public-invoke-via-url`,
          {
            function: fn.name,
            action: "lambda:InvokeFunction",
            principal: "*",
            invokedViaFunctionUrl: true,
            ...(aliases ? { qualifier: LIVE_ALIAS } : {}),
          },
          parent,
        ),
      );
    }

    this.restApiUrl = args.restApi
      ? this.restApiDoor(name, args, args.restApi, fn, aliases?.live)
      : undefined;
    this.invokeName = aliases ? pulumi.interpolate`${fn.name}:${LIVE_ALIAS}` : fn.name;
    this.candidateUrl = candidateUrl?.functionUrl;
    this.candidateInvokeName = aliases ? pulumi.interpolate`${fn.name}:${CANDIDATE_ALIAS}` : undefined;
    this.liveVersion = aliases?.live.functionVersion;
    this.candidateVersion = aliases ? fn.version : undefined;

    this.functionName = fn.name;
    this.functionArn = fn.arn;
    // The URL answers only once the permissions exist: hand it out after them.
    this.url = pulumi
      .all([url.functionUrl, ...permissions.map((p) => p.id)])
      .apply(([functionUrl]) => functionUrl);
    this.logGroupName = logGroup.name;
    this.registerOutputs({
      functionName: this.functionName,
      functionArn: this.functionArn,
      url: this.url,
      logGroupName: this.logGroupName,
      ...(this.restApiUrl ? { restApiUrl: this.restApiUrl } : {}),
    });
  }

  /**
   * The REST API door: a greedy proxy resource and the root, each `ANY` on a Lambda proxy
   * integration that streams (responseTransferMode STREAM) from Lambda's
   * InvokeWithResponseStream path (`responseStreamingInvokeArn`, not the invoke ARN, which
   * would buffer), a deployment and a stage, and the permission for this API to invoke the
   * function (AWS's "Set up a Lambda proxy integration with payload response streaming").
   * Tagged like the rest: the deploy roles may touch only REST APIs tagged with their project
   * (REST API ARNs carry ids, not names), and child resources inherit the API's tags.
   */
  private restApiDoor(
    name: string,
    args: UrlFunctionArgs,
    door: Required<RestApiSettings>,
    fn: aws.lambda.Function,
    live: aws.lambda.Alias | undefined,
  ): pulumi.Output<string> {
    // Promoted: the integration calls the live alias (the provider's response-streaming path,
    // with the alias's ARN for the function's), so nothing serves the candidate before its check.
    const uri = live
      ? pulumi
          .all([fn.responseStreamingInvokeArn, fn.arn, live.arn])
          .apply(([streaming, functionArn, aliasArn]) => streaming.replace(functionArn, aliasArn))
      : fn.responseStreamingInvokeArn;
    const parent = { parent: this };
    const api = new aws.apigateway.RestApi(
      `${name}-api`,
      {
        name: args.names.functionName,
        description: `${args.names.functionName}: the function's responses, streamed`,
        endpointConfiguration: { types: door.endpointType },
        tags: args.tags,
      },
      parent,
    );
    const proxy = new aws.apigateway.Resource(
      `${name}-proxy`,
      { restApi: api.id, parentId: api.rootResourceId, pathPart: "{proxy+}" },
      parent,
    );
    const timeoutMilliseconds = Math.min(
      STREAM_INTEGRATION_TIMEOUT_MS.max,
      Math.max(STREAM_INTEGRATION_TIMEOUT_MS.min, args.timeoutS * 1000),
    );
    const integrations = [
      { key: "root", resourceId: api.rootResourceId },
      { key: "proxy", resourceId: proxy.id },
    ].map(({ key, resourceId }) => {
      const method = new aws.apigateway.Method(
        `${name}-${key}-method`,
        // The row's auth: AWS_IAM callers sign for execute-api, as they sign for the URL.
        {
          restApi: api.id,
          resourceId,
          httpMethod: "ANY",
          authorization: args.authType === "AWS_IAM" ? "AWS_IAM" : "NONE",
        },
        parent,
      );
      return new aws.apigateway.Integration(
        `${name}-${key}-integration`,
        {
          restApi: api.id,
          resourceId,
          httpMethod: method.httpMethod,
          integrationHttpMethod: "POST",
          type: "AWS_PROXY",
          uri,
          responseTransferMode: "STREAM",
          timeoutMilliseconds,
        },
        parent,
      );
    });
    const deployment = new aws.apigateway.Deployment(
      `${name}-deployment`,
      {
        restApi: api.id,
        // A new deployment whenever what it serves changes (the provider's documented pattern).
        triggers: {
          redeployment: pulumi
            .all(integrations.map((i) => pulumi.all([i.uri, i.responseTransferMode, i.timeoutMilliseconds])))
            .apply((parts) => JSON.stringify(parts)),
        },
      },
      { ...parent, dependsOn: integrations },
    );
    const stage = new aws.apigateway.Stage(
      `${name}-stage`,
      { restApi: api.id, deployment: deployment.id, stageName: door.stageName, tags: args.tags },
      parent,
    );
    const permission = new aws.lambda.Permission(
      `${name}-api-invoke`,
      {
        function: fn.name,
        action: "lambda:InvokeFunction",
        principal: "apigateway.amazonaws.com",
        // Any stage and method of this API, nothing else.
        sourceArn: pulumi.interpolate`${api.executionArn}/*/*`,
        ...(live ? { qualifier: LIVE_ALIAS } : {}),
      },
      parent,
    );
    return pulumi
      .all([stage.invokeUrl, permission.id])
      .apply(([url]) => (url.endsWith("/") ? url : `${url}/`));
  }
}
