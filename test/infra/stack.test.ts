import { beforeAll, describe, expect, it } from "vitest";
import { PROJECT_NAME } from "../../infra/naming.js";
import { LAMBDA_BUNDLE } from "../../lambda/build.js";
import { type MockedResource, mockPulumi, outputValue, settle } from "../helpers/pulumi-mocks.js";

const STACK = "pr-123";
const resources: MockedResource[] = mockPulumi(PROJECT_NAME, STACK, {});
process.env.GITHUB_REPOSITORY = "acme/streaming";
// A pull_request run: GITHUB_SHA is the test merge commit, STACK_COMMIT the pushed head.
process.env.GITHUB_SHA = "fedcba9876543210fedcba9876543210fedcba98";
process.env.STACK_COMMIT = "0123456789abcdef0123456789abcdef01234567";
process.env.STACK_BRANCH = "feature/pr-123";

let program: typeof import("../../infra/index.js");
const ofType = (type: string) => resources.filter((r) => r.type === type);

beforeAll(async () => {
  program = await import("../../infra/index.js");
  await outputValue(program.streamingUrl);
  await outputValue(program.bufferedUrl);
  await settle();
});

describe("the per-branch stack (authType NONE, defaults)", () => {
  it("creates one function per invoke mode, on the current runtime and arm64", () => {
    const functions = ofType("aws:lambda/function:Function");
    expect(functions.map((f) => f.inputs.name).sort()).toEqual([
      `${PROJECT_NAME}-${STACK}-buffer`,
      `${PROJECT_NAME}-${STACK}-stream`,
    ]);
    for (const fn of functions) {
      expect(fn.inputs.runtime).toBe("nodejs24.x");
      expect(fn.inputs.architectures).toEqual(["arm64"]);
      expect(fn.inputs.handler).toBe("index.handler");
      expect(fn.inputs.memorySize).toBe(128);
      expect(fn.inputs.timeout).toBe(30);
      expect(fn.inputs.environment).toEqual({ variables: { SENTENCE_INTERVAL_MS: "1000" } });
    }
  });

  it("uploads the esbuild bundle as index.mjs", async () => {
    for (const fn of ofType("aws:lambda/function:Function")) {
      // Pulumi's asset classes hold promises: an AssetArchive of FileAssets.
      const code = fn.inputs.code as { assets: Promise<Record<string, { path: Promise<string> }>> };
      const assets = await code.assets;
      expect(Object.keys(assets)).toEqual(["index.mjs"]);
      expect(await assets["index.mjs"]?.path).toBe(LAMBDA_BUNDLE);
    }
  });

  it("creates the Function URLs with aws-native in both invoke modes, public", () => {
    const urls = ofType("aws-native:lambda:Url");
    expect(urls.map((u) => u.inputs.invokeMode).sort()).toEqual(["BUFFERED", "RESPONSE_STREAM"]);
    for (const url of urls) expect(url.inputs.authType).toBe("NONE");
    const streaming = urls.find((u) => u.inputs.invokeMode === "RESPONSE_STREAM");
    expect(streaming?.inputs.targetFunctionArn).toBe(
      `arn:aws:lambda:us-east-1:123456789012:function:${PROJECT_NAME}-${STACK}-stream`,
    );
  });

  it("grants exactly the two public statements AWS requires since October 2025, per function", () => {
    const permissions = ofType("aws:lambda/permission:Permission");
    expect(permissions).toHaveLength(4);
    for (const kind of ["stream", "buffer"]) {
      const mine = permissions.filter((p) => p.inputs.function === `${PROJECT_NAME}-${STACK}-${kind}`);
      expect(
        mine.map((p) => p.inputs).sort((a, b) => String(a.action).localeCompare(String(b.action))),
      ).toEqual([
        {
          function: `${PROJECT_NAME}-${STACK}-${kind}`,
          action: "lambda:InvokeFunction",
          principal: "*",
          invokedViaFunctionUrl: true,
        },
        {
          function: `${PROJECT_NAME}-${STACK}-${kind}`,
          action: "lambda:InvokeFunctionUrl",
          principal: "*",
          functionUrlAuthType: "NONE",
        },
      ]);
    }
  });

  it("declares each function's log group with the configured retention, before the function", () => {
    const groups = ofType("aws:cloudwatch/logGroup:LogGroup");
    expect(groups.map((g) => g.inputs.name).sort()).toEqual([
      `/aws/lambda/${PROJECT_NAME}-${STACK}-buffer`,
      `/aws/lambda/${PROJECT_NAME}-${STACK}-stream`,
    ]);
    for (const group of groups) expect(group.inputs.retentionInDays).toBe(7);
    const functions = ofType("aws:lambda/function:Function");
    for (const fn of functions) {
      expect(fn.inputs.loggingConfig).toEqual({
        logFormat: "Text",
        logGroup: `/aws/lambda/${fn.inputs.name}`,
      });
    }
    // Registration order follows dependencies: each log group and log policy precede their function.
    const order = resources.map((r) => r.name);
    expect(order.indexOf("streaming-logs")).toBeLessThan(order.indexOf("streaming-function"));
    expect(order.indexOf("streaming-log-policy")).toBeLessThan(order.indexOf("streaming-function"));
  });

  it("gives each function a role that may only write to its own log group", () => {
    const roles = ofType("aws:iam/role:Role");
    expect(roles.map((r) => r.inputs.name).sort()).toEqual([
      `${PROJECT_NAME}-${STACK}-buffer-role`,
      `${PROJECT_NAME}-${STACK}-stream-role`,
    ]);
    const trust = JSON.parse(String(roles[0]?.inputs.assumeRolePolicy));
    expect(trust.Statement).toEqual([
      { Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" },
    ]);
    const policies = ofType("aws:iam/rolePolicy:RolePolicy");
    expect(policies).toHaveLength(2);
    const policy = JSON.parse(String(policies.find((p) => p.name === "streaming-log-policy")?.inputs.policy));
    expect(policy.Statement).toEqual([
      {
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: `arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/${PROJECT_NAME}-${STACK}-stream:*`,
      },
    ]);
    expect(ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")).toEqual([]);
  });

  it("tags every taggable resource with stack, branch, repository, commit and ephemeral", () => {
    const taggable = [
      ...ofType("aws:lambda/function:Function"),
      ...ofType("aws:iam/role:Role"),
      ...ofType("aws:cloudwatch/logGroup:LogGroup"),
    ];
    expect(taggable).toHaveLength(6);
    for (const resource of taggable) {
      expect(resource.inputs.tags).toEqual({
        stack: STACK,
        branch: "feature/pr-123",
        repository: "acme/streaming",
        commit: "0123456789abcdef0123456789abcdef01234567",
        ephemeral: "true",
      });
    }
  });

  it("exports the URLs, auth type, function names and region", async () => {
    expect(await outputValue(program.streamingUrl)).toBe(
      "https://streaming-url.lambda-url.us-east-1.on.aws/",
    );
    expect(await outputValue(program.bufferedUrl)).toBe("https://buffered-url.lambda-url.us-east-1.on.aws/");
    expect(program.authType).toBe("NONE");
    expect(await outputValue(pulumiAll(program.functionNames))).toEqual({
      streaming: `${PROJECT_NAME}-${STACK}-stream`,
      buffered: `${PROJECT_NAME}-${STACK}-buffer`,
    });
    expect(await outputValue(program.region)).toBe("us-east-1");
  });

  it("groups each function's resources under one component", () => {
    const components = resources.filter((r) => r.type === "lambda-streaming:index:StreamingFunction");
    expect(components.map((c) => c.name).sort()).toEqual(["buffered", "streaming"]);
  });
});

async function pulumiAll(record: Record<string, import("@pulumi/pulumi").Output<string>>) {
  const entries = await Promise.all(
    Object.entries(record).map(async ([k, v]) => [k, await outputValue(v)] as const),
  );
  return Object.fromEntries(entries);
}
