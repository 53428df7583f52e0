import { describe, expect, it } from "vitest";
import { previewCounts } from "../../../scripts/lib/github/preview.js";

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
