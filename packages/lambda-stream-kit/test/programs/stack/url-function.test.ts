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
