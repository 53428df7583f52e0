import { describe, expect, it } from "vitest";
import { conditionsHold, stringLike } from "../helpers/iam.js";

// Examples from the IAM User Guide, "IAM JSON policy elements: Condition operators".
describe("the trust-policy condition evaluator (test helper)", () => {
  it("StringLike: * matches any run of characters, including none", () => {
    expect(stringLike("home/*", "home/")).toBe(true);
    expect(stringLike("home/*", "home/alice/docs")).toBe(true);
    expect(stringLike("*", "")).toBe(true);
    expect(stringLike("home/*", "homes/")).toBe(false);
  });

  it("StringLike: ? matches exactly one character", () => {
    expect(stringLike("ab?d", "abcd")).toBe(true);
    expect(stringLike("ab?d", "abd")).toBe(false);
    expect(stringLike("ab?d", "abccd")).toBe(false);
  });

  it("StringLike and StringEquals are case-sensitive in values; other characters are literal", () => {
    expect(stringLike("repo:o/r:*", "repo:O/R:pull_request")).toBe(false);
    expect(stringLike("a.b", "aXb")).toBe(false);
    expect(
      conditionsHold(
        { StringEquals: { "aws:PrincipalTag/job-category": "iamuser-admin" } },
        { "aws:PrincipalTag/job-category": "IAMUser-Admin" },
      ),
    ).toBe(false);
  });

  it("keys are case-insensitive", () => {
    expect(
      conditionsHold(
        { StringEquals: { "aws:PrincipalTag/job-category": "iamuser-admin" } },
        { "AWS:principaltag/JOB-CATEGORY": "iamuser-admin" },
      ),
    ).toBe(true);
  });

  it("several values for one key are ORed", () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, not a JS template.
    const condition = { StringLike: { "s3:prefix": ["", "home/", "home/${aws:username}/"] } };
    expect(conditionsHold(condition, { "s3:prefix": "home/" })).toBe(true);
    expect(conditionsHold(condition, { "s3:prefix": "" })).toBe(true);
    expect(conditionsHold(condition, { "s3:prefix": "other/" })).toBe(false);
  });

  it("several keys, and several operators, are ANDed", () => {
    const condition = {
      StringEquals: { "aws:PrincipalTag/department": "finance" },
      StringLike: { "s3:prefix": "reports/*" },
    };
    expect(
      conditionsHold(condition, { "aws:PrincipalTag/department": "finance", "s3:prefix": "reports/q1" }),
    ).toBe(true);
    expect(
      conditionsHold(condition, { "aws:PrincipalTag/department": "finance", "s3:prefix": "other" }),
    ).toBe(false);
    expect(
      conditionsHold(condition, { "aws:PrincipalTag/department": "hr", "s3:prefix": "reports/q1" }),
    ).toBe(false);
  });

  it("a key missing from the request fails the condition", () => {
    expect(conditionsHold({ StringLike: { "s3:prefix": "*" } }, {})).toBe(false);
  });

  it("refuses operators it does not implement instead of guessing", () => {
    expect(() => conditionsHold({ "ForAllValues:StringLike": { k: "v" } }, { k: "v" })).toThrow(
      /StringEquals and StringLike only/,
    );
  });
});
