import { beforeAll, describe, expect, it, vi } from "vitest";
import { PROJECT_NAME } from "../../infra/naming.js";
import { functionBundlePath } from "../../lambda/build.js";
import { type MockedResource, mockPulumi, outputValue, runProgram } from "../helpers/pulumi-mocks.js";

// A template user adds one row (and its handler file); nothing else in infra changes.
vi.mock("../../lambda/functions.js", async (importOriginal) => {
  const original = await importOriginal<typeof import("../../lambda/functions.js")>();
  const { PROGRESS_ROW } = await import("../helpers/extra-function.js");
  return { ...original, FUNCTIONS: [...original.FUNCTIONS, PROGRESS_ROW] };
});

const STACK = "pr-7";
const resources: MockedResource[] = mockPulumi(PROJECT_NAME, STACK, {});
let program: typeof import("../../infra/index.js");

beforeAll(async () => {
  program = await runProgram(
    () => import("../../infra/index.js"),
    (p) => p.urls,
  );
});

describe("a third function added as one row of the table", () => {
  it("is deployed as its own UrlFunction, with its overrides and environment", () => {
    const fn = resources.find(
      (r) => r.type === "aws:lambda/function:Function" && r.name === "progress-function",
    );
    expect(fn?.inputs).toMatchObject({
      name: `${PROJECT_NAME}-${STACK}-progress`,
      memorySize: 256,
      handler: "index.handler",
      environment: { variables: { GREETING: "hello", SENTENCE_INTERVAL_MS: "1000" } },
    });
    const url = resources.find((r) => r.type === "aws-native:lambda:Url" && r.name === "progress-url");
    expect(url?.inputs.invokeMode).toBe("RESPONSE_STREAM");
  });

  it("uploads its own bundle and appears in the urls output beside the demo's", async () => {
    const fn = resources.find((r) => r.name === "progress-function");
    const code = fn?.inputs.code as { assets: Promise<Record<string, { path: Promise<string> }>> };
    expect(await (await code.assets)["index.mjs"]?.path).toBe(
      functionBundlePath("test/fixtures/functions/progress.ts"),
    );
    expect(Object.keys(await outputValue(program.urls)).sort()).toEqual(["buffer", "progress", "stream"]);
  });
});
