// Production when the pipeline promotes (or rolls back): live moves to the versions it names,
// read from PROMOTION_LIVE_VERSIONS; and on the first deploy, with nothing served before, live
// starts at the version just published.
import { readProjectName } from "lambda-stream-kit";
import { LIVE_VERSIONS_ENV, requestedLiveVersions } from "lambda-stream-kit/stack";
import { type MockedResource, mockPulumi, outputValue, runProgram } from "lambda-stream-kit/testing/pulumi";
import { describe, expect, it } from "vitest";
import { FUNCTIONS } from "../../lambda/functions.js";

const PROJECT_NAME = readProjectName();
const [first] = FUNCTIONS;
// The first deploy: the stack has no outputs yet. The pipeline then promotes the first row only.
const resources: MockedResource[] = mockPulumi(PROJECT_NAME, "production", {}, { publishedVersion: "1" });
process.env[LIVE_VERSIONS_ENV] = JSON.stringify({ [first?.name ?? ""]: "1" });

describe("production's live versions", () => {
  it("take what the pipeline asks for, else (first deploy) the version just published", async () => {
    const program = await runProgram(
      () => import("../../infra/index.js"),
      (p) => p.liveVersions,
    );
    expect(await outputValue(program.liveVersions)).toEqual(
      Object.fromEntries(FUNCTIONS.map((s) => [s.name, "1"])),
    );
    expect(resources.filter((r) => r.type === "aws:lambda/alias:Alias").length).toBe(2 * FUNCTIONS.length);
  });

  it("refuses a request that is not row to version, in one line naming the variable", () => {
    expect(() => requestedLiveVersions("{nope")).toThrow(`${LIVE_VERSIONS_ENV} is not JSON`);
    expect(() => requestedLiveVersions('{"stream":"$LATEST"}')).toThrow(
      /expected row to published version number/,
    );
    expect(requestedLiveVersions('{"stream":7}')).toEqual({ stream: "7" });
  });
});
