import { readProjectName } from "lambda-stream-kit";
import { AWS_NAME_LIMIT } from "lambda-stream-kit/stack";
import { type MockedResource, mockPulumi, runProgram } from "lambda-stream-kit/testing/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { FUNCTIONS } from "../../lambda/functions.js";

// The longest stack name Pulumi accepts, as a careless local user might pick.
// The project as Pulumi names it (infra/Pulumi.yaml): the one place it is set.
const PROJECT_NAME = readProjectName();
const STACK = `dependabot-npm-and-yarn-${"a".repeat(60)}-pulumi-aws-7-48-0`.slice(0, 100);
const resources: MockedResource[] = mockPulumi(PROJECT_NAME, STACK, {
  authType: "AWS_IAM",
  runtime: "nodejs24.x",
  memoryMb: "256",
  logRetentionDays: "14",
});
const ofType = (type: string) => resources.filter((r) => r.type === type);
let program: typeof import("../../infra/index.js");

beforeAll(async () => {
  program = await runProgram(
    () => import("../../infra/index.js"),
    (p) => p.urls,
  );
});

describe("the per-branch stack (AWS_IAM, nodejs24.x, a 100-character stack name)", () => {
  it("has a 100-character stack name to fit", () => {
    expect(STACK).toHaveLength(100);
  });

  it("creates no public permission at all, and REST API doors take AWS_IAM too", () => {
    expect(
      ofType("aws:lambda/permission:Permission").filter(
        (p) => p.inputs.principal !== "apigateway.amazonaws.com",
      ),
    ).toEqual([]);
    for (const method of ofType("aws:apigateway/method:Method"))
      expect(method.inputs.authorization).toBe("AWS_IAM");
    for (const url of ofType("aws-native:lambda:Url")) expect(url.inputs.authType).toBe("AWS_IAM");
    expect(program.authType).toBe("AWS_IAM");
  });

  it("applies the configured runtime, memory (where a row sets none) and retention", () => {
    for (const fn of ofType("aws:lambda/function:Function")) {
      const spec = FUNCTIONS.find((row) => String(fn.inputs.name).endsWith(`-${row.name}`));
      expect(fn.inputs.runtime).toBe("nodejs24.x");
      expect(fn.inputs.memorySize).toBe(spec?.memoryMb ?? 256);
    }
    for (const group of ofType("aws:cloudwatch/logGroup:LogGroup"))
      expect(group.inputs.retentionInDays).toBe(14);
  });

  it("keeps every function and role name within 64 characters, prefixed and distinct", () => {
    const names = [
      ...ofType("aws:lambda/function:Function").map((f) => String(f.inputs.name)),
      ...ofType("aws:iam/role:Role").map((r) => String(r.inputs.name)),
    ];
    expect(new Set(names).size).toBe(2 * FUNCTIONS.length);
    for (const name of names) {
      expect(name.length).toBeLessThanOrEqual(AWS_NAME_LIMIT);
      expect(name.startsWith(`${PROJECT_NAME}-`)).toBe(true);
      expect(name).toMatch(/^[a-z0-9-]+$/);
    }
  });

  it("marks a non-production stack ephemeral", () => {
    for (const fn of ofType("aws:lambda/function:Function")) {
      expect((fn.inputs.tags as Record<string, string>).ephemeral).toBe("true");
      expect((fn.inputs.tags as Record<string, string>).stack).toBe(STACK);
    }
  });
});
