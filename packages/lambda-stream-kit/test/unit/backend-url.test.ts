import { describe, expect, it } from "vitest";
import { tierBackendUrl } from "../../src/pulumi/backend-url.js";

describe("a tier's backend URL", () => {
  it.each([
    ["s3://state-abc?region=eu-west-1", "branches", "s3://state-abc/branches?region=eu-west-1"],
    [
      "s3://state-abc?region=eu-west-1&awssdk=v2",
      "production",
      "s3://state-abc/production?region=eu-west-1&awssdk=v2",
    ],
    ["s3://state-abc/team/?region=eu-west-1", "branches", "s3://state-abc/team/branches?region=eu-west-1"],
    ["gs://state-abc", "production", "gs://state-abc/production"],
    ["file:///tmp/state", "branches", "file:///tmp/state/branches"],
  ] as const)("puts %s's %s stacks under their own path", (url, tier, expected) => {
    expect(tierBackendUrl(url, tier)).toBe(expected);
  });

  it("leaves Pulumi Cloud as it is: it keeps stacks apart itself", () => {
    expect(tierBackendUrl("https://api.pulumi.com", "production")).toBe("https://api.pulumi.com");
    expect(tierBackendUrl("", "branches")).toBe("");
  });
});
