import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { AWS_NAME_LIMIT, PROJECT_NAME, physicalNames, stackPart } from "../../infra/naming.js";
import { DEFAULTS } from "../../infra/settings.js";

describe("physical names", () => {
  it("keeps short clean stack names as they are", () => {
    expect(physicalNames("pr-42", "stream")).toEqual({
      functionName: "lambda-streaming-pr-42-stream",
      roleName: "lambda-streaming-pr-42-stream-role",
      logGroupName: "/aws/lambda/lambda-streaming-pr-42-stream",
      logPolicyName: "write-own-log-group",
    });
  });

  it("fits any stack name Pulumi accepts, keeps the prefix, and never collides", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 100, unit: fc.constantFrom(..."abcxyz019-_.AZ".split("")) }),
        fc.string({ minLength: 1, maxLength: 100, unit: fc.constantFrom(..."abcxyz019-_.AZ".split("")) }),
        (a, b) => {
          for (const kind of ["stream", "buffer", "sixteen-chars-ok"]) {
            const names = physicalNames(a, kind);
            expect(names.functionName.length).toBeLessThanOrEqual(AWS_NAME_LIMIT);
            expect(names.roleName.length).toBeLessThanOrEqual(AWS_NAME_LIMIT);
            expect(names.functionName).toMatch(new RegExp(`^${PROJECT_NAME}-[a-z0-9-]+-${kind}$`));
          }
          if (a !== b) expect(stackPart(a)).not.toBe(stackPart(b));
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe("infra/Pulumi.yaml", () => {
  const project = parse(readFileSync(new URL("../../infra/Pulumi.yaml", import.meta.url), "utf8"));

  it("names the project as the code's prefix", () => {
    expect(project.name).toBe(PROJECT_NAME);
  });

  it("declares the same config defaults as the code (the timeout's depends on the speech: none declared)", () => {
    const declared = Object.fromEntries(
      Object.entries(project.config).map(([k, v]) => [k, (v as { default: unknown }).default]),
    );
    const { timeoutS: _derived, ...fixed } = DEFAULTS;
    expect(declared).toEqual({ ...fixed, timeoutS: undefined });
  });

  it("runs the TypeScript ESM program through tsx", () => {
    expect(project.runtime).toEqual({
      name: "nodejs",
      options: { typescript: false, nodeargs: "--import tsx" },
    });
    expect(project.main).toBe("index.ts");
  });
});
