import { describe, expect, it } from "vitest";
import { maskAccountIds, redact } from "../../src/redact.js";

describe("redaction before a comment", () => {
  it.each([
    ["an access key id", "using AKIAABCDEFGHIJKLMNOP now", "using [redacted access key id] now"],
    ["a temporary key id", "ASIAABCDEFGHIJKLMNOP", "[redacted access key id]"],
    ["a GitHub token", `token ghs_${"a".repeat(36)} used`, "token [redacted GitHub token] used"],
    ["a bearer token", "Authorization: Bearer abc.def-ghi_jkl", "Authorization: Bearer [redacted]"],
    ["a password", "password=hunter22hunter22", "password=[redacted]"],
    ["a JSON secret", '{"clientSecret": "s3cr3t-value"}', '{"clientSecret": "[redacted]"}'],
    [
      "a JWT",
      "jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
      "jwt [redacted JWT]",
    ],
    ["an account id in an ARN", "arn:aws:iam::123456789012:role/x", "arn:aws:iam::***:role/x"],
  ])("hides %s", (_what, input, expected) => {
    expect(redact(input)).toBe(expected);
  });

  it("leaves ordinary lines alone", () => {
    const line = "2026-11-30T00:00:01.000Z\tr-1\tINFO\tsentence 3 of 10 written (1467 bytes)";
    expect(redact(line)).toBe(line);
    expect(maskAccountIds("timeout: 123456789012")).toBe("timeout: 123456789012");
  });
});

describe("the log lines' budget in a comment", () => {
  it("keeps the first failures' lines whole and says where lines were left out", async () => {
    const { withinBudget } = await import("../../src/stream-check/logs.js");
    const logs = (label: string, lines: number) => ({
      label,
      logGroup: "/aws/lambda/x",
      requestId: label,
      consoleUrl: "https://example.invalid/",
      lines: Array.from({ length: lines }, () => "x".repeat(99)),
    });
    const kept = withinBudget([logs("a", 40), logs("b", 40), logs("c", 40)], 8000);
    expect(kept.map((l) => l.lines.length)).toEqual([40, 40, 0]);
    expect(kept[2]?.note).toBe("40 lines left out: the comment has no room for them (see the log group)");
  });
});
