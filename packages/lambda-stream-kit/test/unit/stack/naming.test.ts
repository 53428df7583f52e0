import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkProjectName, PROJECT_NAME_LIMIT } from "../../../src/project.js";
import { AWS_NAME_LIMIT, physicalNames, stackPart } from "../../../src/stack/naming.js";

/** A project's name as infra/Pulumi.yaml would give it. */
const PROJECT_NAME = "lambda-streaming";

describe("physical names", () => {
  it("keeps short clean stack names as they are", () => {
    expect(physicalNames("pr-42", "stream", PROJECT_NAME)).toEqual({
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
            const names = physicalNames(a, kind, PROJECT_NAME);
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

describe("the project name", () => {
  it("takes up to 23 characters: the state bucket's prefix <name>-pulumi-state- may have 37", () => {
    expect(PROJECT_NAME_LIMIT).toBe(23);
    const longest = "a".repeat(PROJECT_NAME_LIMIT);
    expect(checkProjectName(longest)).toBe(longest);
    expect(`${longest}-pulumi-state-`).toHaveLength(37);
    // Every function and role name still fits with the longest row name and a long stack.
    const names = physicalNames("feature-with-a-really-long-branch-name-indeed", "a".repeat(16), longest);
    expect(names.roleName.length).toBeLessThanOrEqual(AWS_NAME_LIMIT);
  });

  it.each(["a".repeat(24), "Lambda-Streaming", "-x", "x_y", ""])(
    "refuses %j in one line naming the limit and the one place to change",
    (name) => {
      expect(() => checkProjectName(name)).toThrow(
        /^project name .* is not usable: use 1 to 23 of \[a-z0-9-\] \(the state bucket's prefix .* may have 37 characters\); change name: in infra\/Pulumi.yaml$/,
      );
    },
  );
});
