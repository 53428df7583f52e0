import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { physicalNames } from "../../../src/stack/naming.js";
import { UrlFunction, urlFunctionType } from "../../../src/stack/url-function.js";
import { type MockedResource, mockPulumi, outputValue, settle } from "../../../src/testing/pulumi-mocks.js";

const STACK = "pr-7";
const PROJECT = "kit-fixture";
const resources: MockedResource[] = mockPulumi(PROJECT, STACK, {});

const args = {
  project: PROJECT,
  names: physicalNames(STACK, "reader", PROJECT),
  invokeMode: "RESPONSE_STREAM" as const,
  authType: "NONE" as const,
  code: new pulumi.asset.AssetArchive({}),
  handler: "index.handler",
  runtime: "nodejs24.x" as const,
  memoryMb: 128,
  timeoutS: 30,
  logRetentionDays: 7,
  environment: {},
  tags: {},
};

describe("UrlFunction", () => {
  it("is typed by the project's name, and gives its children names that start with its own", async () => {
    const fn = new UrlFunction("plain", { ...args, names: physicalNames(STACK, "plain", PROJECT) });
    await outputValue(fn.url);
    await settle();
    const component = resources.find((r) => r.name === "plain");
    expect(component?.type).toBe(urlFunctionType(PROJECT));
    expect(component?.urn).toBe(`urn:pulumi:${STACK}::${PROJECT}::${urlFunctionType(PROJECT)}::plain`);
    expect(resources.filter((r) => r.name.startsWith("plain-")).length).toBeGreaterThan(4);
    // No row permissions: no policy beyond the log policy.
    expect(resources.find((r) => r.name === "plain-permissions")).toBeUndefined();
  });

  it("grants a row's permissions in a policy of their own, and passes other function arguments through", async () => {
    const fn = new UrlFunction("reader", {
      ...args,
      permissions: [
        {
          Effect: "Allow",
          Action: "dynamodb:GetItem",
          Resource: "arn:aws:dynamodb:us-east-1:1:table/kit-fixture-pr-7-orders",
        },
      ],
      functionArgs: { reservedConcurrentExecutions: 5, layers: ["arn:aws:lambda:us-east-1:1:layer:x:1"] },
    });
    await outputValue(fn.url);
    await settle();
    const policy = resources.find((r) => r.name === "reader-permissions");
    expect(JSON.parse(String(policy?.inputs.policy))).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Action: "dynamodb:GetItem",
          Resource: "arn:aws:dynamodb:us-east-1:1:table/kit-fixture-pr-7-orders",
        },
      ],
    });
    const lambda = resources.find((r) => r.name === "reader-function");
    expect(lambda?.inputs.reservedConcurrentExecutions).toBe(5);
    expect(lambda?.inputs.layers).toEqual(["arn:aws:lambda:us-east-1:1:layer:x:1"]);
    // The kit's own arguments stay the kit's.
    expect(lambda?.inputs.name).toBe("kit-fixture-pr-7-reader");
    expect(lambda?.inputs.runtime).toBe("nodejs24.x");
  });
});

describe("UrlFunction with a REST API door", () => {
  it("streams through a REST API: the response-streaming URI, STREAM mode, the row's timeout, its own permission", async () => {
    const fn = new UrlFunction("door", {
      ...args,
      names: physicalNames(STACK, "door", PROJECT),
      timeoutS: 60,
      restApi: { stageName: "v1", endpointType: "REGIONAL" },
    });
    expect(await outputValue(fn.restApiUrl as pulumi.Output<string>)).toBe(
      "https://door-api-id.execute-api.us-east-1.amazonaws.com/v1/",
    );
    await settle();
    const api = resources.find((r) => r.name === "door-api");
    expect(api?.type).toBe("aws:apigateway/restApi:RestApi");
    expect(api?.inputs.name).toBe("kit-fixture-pr-7-door");
    expect(api?.inputs.endpointConfiguration).toEqual({ types: "REGIONAL" });
    const proxy = resources.find((r) => r.name === "door-proxy");
    expect(proxy?.inputs).toMatchObject({ pathPart: "{proxy+}", parentId: "door-api-root" });
    for (const key of ["root", "proxy"]) {
      const method = resources.find((r) => r.name === `door-${key}-method`);
      expect(method?.inputs).toMatchObject({ httpMethod: "ANY", authorization: "NONE" });
      const integration = resources.find((r) => r.name === `door-${key}-integration`);
      expect(integration?.inputs).toMatchObject({
        type: "AWS_PROXY",
        integrationHttpMethod: "POST",
        // Lambda's InvokeWithResponseStream path, not the invoke ARN (which would buffer).
        uri: "arn:aws:apigateway:us-east-1:lambda:path/2021-11-15/functions/arn:aws:lambda:us-east-1:123456789012:function:kit-fixture-pr-7-door/response-streaming-invocations",
        responseTransferMode: "STREAM",
        timeoutMilliseconds: 60_000,
      });
    }
    const stage = resources.find((r) => r.name === "door-stage");
    expect(stage?.inputs).toMatchObject({ stageName: "v1", deployment: "door-deployment-id" });
    const permission = resources.find((r) => r.name === "door-api-invoke");
    expect(permission?.inputs).toEqual({
      function: "kit-fixture-pr-7-door",
      action: "lambda:InvokeFunction",
      principal: "apigateway.amazonaws.com",
      sourceArn: "arn:aws:execute-api:us-east-1:123456789012:door-api-id/*/*",
    });
  });

  it("caps the integration's timeout at what a STREAM integration allows (15 minutes)", async () => {
    const fn = new UrlFunction("long", {
      ...args,
      names: physicalNames(STACK, "long", PROJECT),
      timeoutS: 900,
      restApi: { stageName: "api", endpointType: "EDGE" },
    });
    await outputValue(fn.restApiUrl as pulumi.Output<string>);
    await settle();
    expect(resources.find((r) => r.name === "long-proxy-integration")?.inputs.timeoutMilliseconds).toBe(
      900_000,
    );
  });
});
