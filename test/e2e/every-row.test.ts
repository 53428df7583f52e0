// Every row of lambda/functions.ts, end to end: bundled as the stack uploads it, served by the
// emulator behind a local Function URL (and its REST API door, if it has one), read by the stream check with the row's own
// expectations, at a test pace (rows with an interval run at 250 ms; `npm start` runs them at
// their own). What CI's post-deploy check proves of the deployed stack, on this machine.
import { checkEveryRow } from "lambda-stream-kit/testing/local";
import { describe, expect, it } from "vitest";
import { FUNCTIONS } from "../../lambda/functions.js";

describe("every row of the function table", () => {
  it("passes its own check through the local emulator", async () => {
    const run = await checkEveryRow(FUNCTIONS);
    expect(run.results.map((r) => r.target.label)).toEqual(
      FUNCTIONS.flatMap((spec) => [spec.name, ...(spec.restApi ? [`${spec.name}·rest`] : [])]),
    );
    expect(run.passed, run.report).toBe(true);
  });
});
