import * as pulumi from "@pulumi/pulumi";

export interface MockedResource {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  opts?: { dependsOn?: unknown };
  /** Set once the engine answered: the resource's URN, and the option mocks do not pass on. */
  urn?: string;
  retainOnDelete?: boolean;
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getRetainondelete(): boolean;
}
type RegisterCallback = (error: unknown, response?: { getUrn(): string }) => void;

/**
 * Pulumi's unit-test mocks (pulumi.runtime.setMocks): records every resource the program
 * registers and answers with plausible outputs (ARNs, the URL), as the real providers do.
 * Call before importing the program; the engine is process-wide, so one configuration per
 * test file.
 */
export function mockPulumi(
  project: string,
  stack: string,
  config: Record<string, string>,
  account: {
    githubOidcProviderArn?: string;
    githubOidcProviderTags?: Record<string, string>;
    /** What a stack reference reads (a stack reading its own previous outputs), by stack name. */
    stackOutputs?: Record<string, Record<string, unknown>>;
    /** The version a function with `publish: true` gets. */
    publishedVersion?: string;
  } = {},
): MockedResource[] {
  const resources: MockedResource[] = [];
  pulumi.runtime.setAllConfig(
    Object.fromEntries(Object.entries(config).map(([k, v]) => [`${project}:${k}`, v])),
  );
  pulumi.runtime.setMocks(
    {
      newResource(args) {
        resources.push({ type: args.type, name: args.name, inputs: args.inputs });
        const name = (args.inputs.name as string | undefined) ?? args.name;
        const state: Record<string, unknown> = { ...args.inputs, name };
        if (args.type === "aws:lambda/function:Function") {
          state.arn = `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
          state.invokeArn = `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${state.arn}/invocations`;
          // The provider's computed InvokeWithResponseStream path (aws.lambda.Function docs).
          state.responseStreamingInvokeArn = `arn:aws:apigateway:us-east-1:lambda:path/2021-11-15/functions/${state.arn}/response-streaming-invocations`;
          // Lambda's published version: "$LATEST" until a version is published.
          state.version = args.inputs.publish ? (account.publishedVersion ?? "1") : "$LATEST";
        }
        if (args.type === "aws:lambda/alias:Alias") {
          state.arn = `arn:aws:lambda:us-east-1:123456789012:function:${String(args.inputs.functionName)}:${String(args.inputs.name)}`;
        }
        if (args.type === "pulumi:pulumi:StackReference") {
          state.outputs = account.stackOutputs?.[String(args.inputs.name)] ?? {};
          state.secretOutputNames = [];
        }
        if (args.type === "aws:apigateway/restApi:RestApi") {
          const id = `${args.name}-id`;
          state.rootResourceId = `${args.name}-root`;
          state.executionArn = `arn:aws:execute-api:us-east-1:123456789012:${id}`;
          state.arn = `arn:aws:apigateway:us-east-1::/restapis/${id}`;
        }
        if (args.type === "aws:apigateway/stage:Stage") {
          // The provider's invokeUrl: https://<api id>.execute-api.<region>.amazonaws.com/<stage>
          state.invokeUrl = `https://${String(args.inputs.restApi)}.execute-api.us-east-1.amazonaws.com/${String(args.inputs.stageName)}`;
        }
        if (args.type === "aws:iam/role:Role") state.arn = `arn:aws:iam::123456789012:role/${name}`;
        if (args.type === "aws:iam/policy:Policy") state.arn = `arn:aws:iam::123456789012:policy/${name}`;
        if (args.type === "aws:cloudwatch/logGroup:LogGroup") {
          state.arn = `arn:aws:logs:us-east-1:123456789012:log-group:${name}`;
        }
        if (args.type === "aws-native:lambda:Url")
          state.functionUrl = `https://${args.name}.lambda-url.us-east-1.on.aws/`;
        if (args.type === "aws:iam/openIdConnectProvider:OpenIdConnectProvider") {
          state.arn = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
        }
        if (args.type === "aws:s3/bucket:Bucket" || args.type === "aws:s3/bucketV2:BucketV2") {
          state.arn = `arn:aws:s3:::${state.bucket ?? name}`;
          state.bucket = state.bucket ?? name;
        }
        if (args.type === "aws:kms/key:Key") state.arn = "arn:aws:kms:us-east-1:123456789012:key/1111-2222";
        if (args.type === "aws:kms/alias:Alias") state.arn = `arn:aws:kms:us-east-1:123456789012:${name}`;
        return { id: `${args.name}-id`, state };
      },
      call(args) {
        if (args.token === "aws:index/getRegion:getRegion")
          return { name: "us-east-1", region: "us-east-1", id: "us-east-1" };
        if (args.token === "aws:index/getCallerIdentity:getCallerIdentity") {
          return {
            accountId: "123456789012",
            arn: "arn:aws:iam::123456789012:user/admin",
            userId: "AIDA",
            id: "123456789012",
          };
        }
        if (args.token === "aws:iam/getOpenIdConnectProvider:getOpenIdConnectProvider") {
          // As the AWS provider does: a lookup that finds nothing is an error, not an empty result.
          if (!account.githubOidcProviderArn)
            throw new Error(`finding IAM OIDC Provider (${String(args.inputs.url)}): couldn't find resource`);
          return {
            arn: account.githubOidcProviderArn,
            url: args.inputs.url,
            clientIdLists: ["sts.amazonaws.com"],
            tags: account.githubOidcProviderTags ?? {},
          };
        }
        if (args.token === "aws:index/getPartition:getPartition")
          return { partition: "aws", dnsSuffix: "amazonaws.com", id: "aws" };
        return args.inputs;
      },
    },
    project,
    stack,
    false,
    // The DIY backend's organization; Pulumi Cloud's is the org (a stack reference names it).
    "organization",
  );
  // The mock monitor passes only some of a registration to newResource: record the URN and
  // retainOnDelete from the request itself.
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    registerResource(req: RegisterRequest, callback: RegisterCallback): void;
  };
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) =>
    register(req, (error, response) => {
      const resource = resources.findLast((r) => r.type === req.getType() && r.name === req.getName());
      if (resource && response) {
        resource.urn = response.getUrn();
        resource.retainOnDelete = req.getRetainondelete();
      }
      callback(error, response);
    });
  return resources;
}

/** An Output's value, for assertions. */
export function outputValue<T>(output: pulumi.Output<T> | T): Promise<T> {
  if (!pulumi.Output.isInstance(output)) return Promise.resolve(output as T);
  return new Promise((resolve) => (output as pulumi.Output<T>).apply((value) => resolve(value)));
}

/** Waits until the engine has registered every resource created so far. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}

/**
 * Runs a Pulumi program under the mocks: imports it (the import stays in the test file, so
 * its path and its vi.mock calls are the test's), waits for one of its outputs, then for
 * every resource it registered.
 */
export async function runProgram<T>(load: () => Promise<T>, output: (program: T) => unknown): Promise<T> {
  const program = await load();
  await outputValue(output(program));
  await settle();
  return program;
}
