// Production under Pulumi's mocks: versions published, users behind `live`, the new version
// behind `candidate` (AWS_IAM), every door on the live alias (README, "Production").
import * as pulumi from "@pulumi/pulumi";
import { readProjectName } from "lambda-stream-kit";
import { CANDIDATE_ALIAS, LIVE_ALIAS } from "lambda-stream-kit/stack";
import { type MockedResource, mockPulumi, outputValue, runProgram } from "lambda-stream-kit/testing/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { FUNCTIONS } from "../../lambda/functions.js";

const PROJECT_NAME = readProjectName();
const STACK = "production";
// What production served before this run (its own liveVersions output), and what this run publishes.
const BEFORE = Object.fromEntries(FUNCTIONS.map((spec) => [spec.name, "3"]));
const resources: MockedResource[] = mockPulumi(
  PROJECT_NAME,
  STACK,
  {},
  {
    stackOutputs: { [`organization/${PROJECT_NAME}/${STACK}`]: { liveVersions: BEFORE } },
    publishedVersion: "4",
  },
);
let program: typeof import("../../infra/index.js");
const ofType = (type: string) => resources.filter((r) => r.type === type);

beforeAll(async () => {
  expect(pulumi.getOrganization()).toBe("organization");
  program = await runProgram(
    () => import("../../infra/index.js"),
    (p) => p.liveVersions,
  );
});

describe("production: check-gated promotion", () => {
  it("publishes a version of every function, and gives each a live and a candidate alias", () => {
    for (const fn of ofType("aws:lambda/function:Function")) expect(fn.inputs.publish).toBe(true);
    const aliases = ofType("aws:lambda/alias:Alias");
    expect(aliases).toHaveLength(2 * FUNCTIONS.length);
    for (const spec of FUNCTIONS) {
      const fn = `${PROJECT_NAME}-${STACK}-${spec.name}`;
      // The new version waits behind candidate; live stays where it was until the check passes.
      expect(aliases.find((a) => a.name === `${spec.name}-candidate`)?.inputs).toEqual({
        name: CANDIDATE_ALIAS,
        functionName: fn,
        functionVersion: "4",
      });
      expect(aliases.find((a) => a.name === `${spec.name}-live`)?.inputs).toEqual({
        name: LIVE_ALIAS,
        functionName: fn,
        functionVersion: "3",
      });
    }
  });

  it("serves users on the live alias's URL and the candidate on an AWS_IAM URL of its own", () => {
    const urls = ofType("aws-native:lambda:Url");
    expect(urls).toHaveLength(2 * FUNCTIONS.length);
    for (const spec of FUNCTIONS) {
      const live = urls.find((u) => u.name === `${spec.name}-url`);
      expect(live?.inputs).toMatchObject({ qualifier: LIVE_ALIAS, authType: spec.authType ?? "NONE" });
      const candidate = urls.find((u) => u.name === `${spec.name}-candidate-url`);
      expect(candidate?.inputs).toMatchObject({ qualifier: CANDIDATE_ALIAS, authType: "AWS_IAM" });
    }
  });

  it("scopes both public statements to the live alias, so the public never reaches the candidate", () => {
    const publicOnes = ofType("aws:lambda/permission:Permission").filter((p) => p.inputs.principal === "*");
    expect(publicOnes).toHaveLength(
      2 * FUNCTIONS.filter((spec) => (spec.authType ?? "NONE") === "NONE").length,
    );
    for (const permission of publicOnes) expect(permission.inputs.qualifier).toBe(LIVE_ALIAS);
  });

  it("points every REST API door at the live alias, with its permission scoped to it", () => {
    for (const integration of ofType("aws:apigateway/integration:Integration"))
      expect(String(integration.inputs.uri)).toMatch(
        new RegExp(
          `/2021-11-15/functions/arn:aws:lambda:[^/]+:function:${PROJECT_NAME}-${STACK}-[a-z0-9-]+:${LIVE_ALIAS}/response-streaming-invocations$`,
        ),
      );
    for (const permission of ofType("aws:lambda/permission:Permission").filter(
      (p) => p.inputs.principal === "apigateway.amazonaws.com",
    ))
      expect(permission.inputs.qualifier).toBe(LIVE_ALIAS);
  });

  it("exports live's URLs and names for every door, the candidate's beside them, and both aliases' versions", async () => {
    const byRow = (value: (name: string) => string) =>
      Object.fromEntries(FUNCTIONS.map((spec) => [spec.name, value(spec.name)]));
    expect(await outputValue(program.functionNames)).toEqual(
      byRow((name) => `${PROJECT_NAME}-${STACK}-${name}:live`),
    );
    expect(await outputValue(program.candidateFunctionNames)).toEqual(
      byRow((name) => `${PROJECT_NAME}-${STACK}-${name}:candidate`),
    );
    expect(await outputValue(program.urls)).toEqual(
      byRow((name) => `https://${name}-url.lambda-url.us-east-1.on.aws/`),
    );
    expect(await outputValue(program.candidateUrls)).toEqual(
      byRow((name) => `https://${name}-candidate-url.lambda-url.us-east-1.on.aws/`),
    );
    expect(await outputValue(program.liveVersions)).toEqual(BEFORE);
    expect(await outputValue(program.candidateVersions)).toEqual(byRow(() => "4"));
  });
});
