import { readProjectName, rowEnvironment } from "lambda-stream-kit";
import { functionBundlePath, urlFunctionType } from "lambda-stream-kit/stack";
import { type MockedResource, mockPulumi, outputValue, runProgram } from "lambda-stream-kit/testing/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { FUNCTIONS } from "../../lambda/functions.js";

// The project as Pulumi names it (infra/Pulumi.yaml): the one place it is set.
const PROJECT_NAME = readProjectName();
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
  program = await runProgram(
    () => import("../../infra/index.js"),
    (p) => p.urls,
  );
});

describe("the per-branch stack (authType NONE, defaults)", () => {
  it("creates one function per row of the table, on the current runtime and arm64", () => {
    const functions = ofType("aws:lambda/function:Function");
    expect(functions.map((f) => f.inputs.name).sort()).toEqual(
      FUNCTIONS.map((spec) => `${PROJECT_NAME}-${STACK}-${spec.name}`).sort(),
    );
    for (const fn of functions) {
      expect(fn.inputs.runtime).toBe("nodejs24.x");
      expect(fn.inputs.architectures).toEqual(["arm64"]);
      expect(fn.inputs.handler).toBe("index.handler");
      expect(fn.inputs.memorySize).toBe(128);
      const spec = FUNCTIONS.find((row) => fn.inputs.name === `${PROJECT_NAME}-${STACK}-${row.name}`);
      if (!spec) throw new Error(`no row for ${String(fn.inputs.name)}`);
      // The row's own timeout, else the stack's default (30 s).
      expect(fn.inputs.timeout).toBe(spec.timeoutS ?? 30);
      // The row's own variables, and its interval's.
      expect(fn.inputs.environment).toEqual({ variables: rowEnvironment(spec) });
    }
  });

  it("uploads each row's esbuild bundle as index.mjs", async () => {
    for (const spec of FUNCTIONS) {
      const fn = ofType("aws:lambda/function:Function").find((f) =>
        String(f.inputs.name).endsWith(`-${spec.name}`),
      );
      // Pulumi's asset classes hold promises: an AssetArchive of FileAssets.
      const code = fn?.inputs.code as { assets: Promise<Record<string, { path: Promise<string> }>> };
      const assets = await code.assets;
      expect(Object.keys(assets)).toEqual(["index.mjs"]);
      expect(await assets["index.mjs"]?.path).toBe(functionBundlePath(spec.entry));
    }
  });

  it("creates each row's Function URL with aws-native in its invoke mode and CORS, public", () => {
    const urls = ofType("aws-native:lambda:Url");
    expect(urls).toHaveLength(FUNCTIONS.length);
    for (const spec of FUNCTIONS) {
      const url = urls.find((u) => u.name === `${spec.name}-url`);
      expect(url?.inputs.invokeMode).toBe(spec.invokeMode);
      expect(url?.inputs.authType).toBe("NONE");
      // The row's CORS as the URL's, the aws-native input's own names; none when the row has none.
      expect(url?.inputs.cors).toEqual(spec.cors);
      expect(url?.inputs.targetFunctionArn).toBe(
        `arn:aws:lambda:us-east-1:123456789012:function:${PROJECT_NAME}-${STACK}-${spec.name}`,
      );
    }
  });

  it("grants exactly the two public statements AWS requires since October 2025, per function", () => {
    const permissions = ofType("aws:lambda/permission:Permission").filter((p) => p.inputs.principal === "*");
    expect(permissions).toHaveLength(2 * FUNCTIONS.length);
    for (const kind of FUNCTIONS.map((spec) => spec.name)) {
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
    expect(groups.map((g) => g.inputs.name).sort()).toEqual(
      FUNCTIONS.map((spec) => `/aws/lambda/${PROJECT_NAME}-${STACK}-${spec.name}`).sort(),
    );
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
    for (const { name } of FUNCTIONS) {
      expect(order.indexOf(`${name}-logs`)).toBeLessThan(order.indexOf(`${name}-function`));
      expect(order.indexOf(`${name}-log-policy`)).toBeLessThan(order.indexOf(`${name}-function`));
    }
  });

  it("gives each function a role that may only write to its own log group", () => {
    const roles = ofType("aws:iam/role:Role");
    expect(roles.map((r) => r.inputs.name).sort()).toEqual(
      FUNCTIONS.map((spec) => `${PROJECT_NAME}-${STACK}-${spec.name}-role`).sort(),
    );
    const trust = JSON.parse(String(roles[0]?.inputs.assumeRolePolicy));
    expect(trust.Statement).toEqual([
      { Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" },
    ]);
    const policies = ofType("aws:iam/rolePolicy:RolePolicy");
    expect(policies).toHaveLength(FUNCTIONS.length);
    for (const { name } of FUNCTIONS) {
      const policy = JSON.parse(String(policies.find((p) => p.name === `${name}-log-policy`)?.inputs.policy));
      expect(policy.Statement).toEqual([
        {
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
          Resource: `arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/${PROJECT_NAME}-${STACK}-${name}:*`,
        },
      ]);
    }
    expect(ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")).toEqual([]);
  });

  it("exports the branch exactly, for the janitor to dispatch this stack's teardown", async () => {
    expect(await outputValue(program.branch)).toBe("feature/pr-123");
  });

  it("tags every taggable resource with stack, branch, repository, commit, ephemeral and project", () => {
    const taggable = [
      ...ofType("aws:lambda/function:Function"),
      ...ofType("aws:iam/role:Role"),
      ...ofType("aws:cloudwatch/logGroup:LogGroup"),
    ];
    expect(taggable).toHaveLength(3 * FUNCTIONS.length);
    for (const resource of taggable) {
      expect(resource.inputs.tags).toEqual({
        stack: STACK,
        branch: "feature/pr-123",
        repository: "acme/streaming",
        commit: "0123456789abcdef0123456789abcdef01234567",
        ephemeral: "true",
        project: PROJECT_NAME,
      });
    }
  });

  it("exports one urls map and one functionNames map keyed by row, the auth type and the region", async () => {
    const byRow = (value: (name: string) => string) =>
      Object.fromEntries(FUNCTIONS.map((spec) => [spec.name, value(spec.name)]));
    expect(await outputValue(program.urls)).toEqual(
      byRow((name) => `https://${name}-url.lambda-url.us-east-1.on.aws/`),
    );
    expect(program.authType).toBe("NONE");
    expect(await outputValue(program.functionNames)).toEqual(
      byRow((name) => `${PROJECT_NAME}-${STACK}-${name}`),
    );
    expect(await outputValue(program.region)).toBe("us-east-1");
  });

  it("groups each function's resources under one UrlFunction component", () => {
    const components = resources.filter((r) => r.type === urlFunctionType(PROJECT_NAME));
    expect(components.map((c) => c.name).sort()).toEqual(FUNCTIONS.map((f) => f.name).sort());
  });

  it("names each component's children after it", () => {
    for (const spec of FUNCTIONS) {
      for (const child of ["role", "logs", "log-policy", "function", "url"]) {
        expect(resources.map((r) => r.name)).toContain(`${spec.name}-${child}`);
      }
    }
  });

  it("puts a streaming REST API in front of each row that asks for one, and exports its URL", async () => {
    const doors = FUNCTIONS.filter((spec) => spec.restApi);
    const integrations = ofType("aws:apigateway/integration:Integration");
    expect(integrations).toHaveLength(2 * doors.length);
    for (const integration of integrations) {
      expect(integration.inputs.type).toBe("AWS_PROXY");
      expect(integration.inputs.responseTransferMode).toBe("STREAM");
      expect(String(integration.inputs.uri)).toMatch(
        /\/2021-11-15\/functions\/.*\/response-streaming-invocations$/,
      );
    }
    const restApiUrls = await outputValue(program.restApiUrls);
    expect(Object.keys(restApiUrls).sort()).toEqual(doors.map((spec) => spec.name).sort());
    for (const url of Object.values(restApiUrls))
      expect(url).toMatch(/^https:\/\/.*\.execute-api\.us-east-1\.amazonaws\.com\/\w+\/$/);
  });
});
