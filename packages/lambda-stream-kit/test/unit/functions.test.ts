import { describe, expect, it } from "vitest";
import { type FunctionSpec, restApiOf, validateFunctions } from "../../src/functions.js";

const row = (extra: Partial<FunctionSpec>): FunctionSpec => ({
  name: "door",
  entry: "lambda/door.ts",
  invokeMode: "RESPONSE_STREAM",
  ...extra,
});

describe("a row's REST API door", () => {
  it("takes defaults for `true`: stage api, a regional endpoint", () => {
    expect(restApiOf(row({ restApi: true }))).toEqual({ stageName: "api", endpointType: "REGIONAL" });
    expect(restApiOf(row({}))).toBeUndefined();
  });

  it("refuses it on a BUFFERED row in one line naming the fix", () => {
    expect(() => validateFunctions([row({ invokeMode: "BUFFERED", restApi: true })])).toThrow(
      'function "door": restApi streams (responseTransferMode STREAM) and the row is BUFFERED: make the row RESPONSE_STREAM, or remove restApi',
    );
  });

  it("refuses a stage name or endpoint type API Gateway would not take", () => {
    expect(() => validateFunctions([row({ restApi: { stageName: "a b" } })])).toThrow(
      /restApi\.stageName "a b"/,
    );
    expect(() =>
      validateFunctions([row({ restApi: { endpointType: "GLOBAL" as unknown as "EDGE" } })]),
    ).toThrow(/restApi\.endpointType "GLOBAL": one of REGIONAL, EDGE, PRIVATE/);
  });
});
