import { describe, expect, it } from "vitest";
import { previewCounts, previewSection } from "../../../src/github/preview.js";

describe("pulumi preview's change counts", () => {
  it("reads every kind of change and the unchanged count, through colour codes", () => {
    const output =
      "Resources:\n    \u001b[32m+ 2 to create\u001b[0m\n    ~ 1 to update\n    +-1 to replace\n    - 3 to delete\n    7 changes. 4 unchanged\n";
    expect(previewCounts(output)).toEqual({ create: 2, update: 1, replace: 1, delete: 3, unchanged: 4 });
  });

  it("is all zeros for an empty output (what a failed preview leaves)", () => {
    expect(previewCounts("")).toEqual({ create: 0, update: 0, replace: 0, delete: 0, unchanged: 0 });
  });
});

describe("the preview posted to the pull request", () => {
  it("masks the account id in every ARN, as the job's logs do", () => {
    const output = [
      "    ~ aws:lambda/function:Function stream update [diff: ~role]",
      '      role: "arn:aws:iam::123456789012:role/lambda-streaming-pr-7-stream-role"',
      '      arn: "arn:aws:lambda:eu-west-1:123456789012:function:lambda-streaming-pr-7-stream"',
      '      boundary: "arn:aws-us-gov:iam::210987654321:policy/lambda-streaming-function-boundary"',
      "      timeout: 123456789012",
    ].join("\n");
    const section = previewSection(output, "");
    expect(section).not.toMatch(/123456789012:|210987654321/);
    expect(section).toContain("arn:aws:iam::***:role/lambda-streaming-pr-7-stream-role");
    expect(section).toContain("arn:aws:lambda:eu-west-1:***:function:lambda-streaming-pr-7-stream");
    expect(section).toContain("arn:aws-us-gov:iam::***:policy/");
    // Only inside ARNs: other numbers are the program's own values.
    expect(section).toContain("timeout: 123456789012");
  });
});
