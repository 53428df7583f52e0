import { spawnSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  MAX_STACK_NAME_LENGTH,
  PROTECTED_STACK,
  stackNameForBranch,
} from "../../../src/pulumi/stack-name.js";
import { physicalNames } from "../../../src/stack/naming.js";
import { commandBin, FIXTURE_ROOT } from "../../helpers/project.js";

const VALID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

// Branch names as people and bots write them: slashes, unicode, dots, long ones.
const branchName = fc
  .oneof(
    fc.string({ minLength: 1, maxLength: 300 }),
    fc.string({ minLength: 1, maxLength: 60, unit: "grapheme" }),
    fc
      .array(fc.stringMatching(/^[A-Za-z0-9._-]{1,20}$/), { minLength: 1, maxLength: 6 })
      .map((parts) => parts.join("/")),
    fc
      .tuple(
        fc.constantFrom("npm_and_yarn", "github_actions"),
        fc.stringMatching(/^[a-z@/.-]{1,40}$/),
        fc.nat(),
      )
      .map(([ecosystem, pkg, n]) => `dependabot/${ecosystem}/${pkg}-${n}.${n % 7}.0`),
  )
  .filter((name) => name.trim() !== "" && name !== "main");

describe("stack name for a branch", () => {
  it("keeps simple branch names as they are and maps the default branch to the protected stack", () => {
    expect(stackNameForBranch("fix-42")).toBe("fix-42");
    expect(stackNameForBranch("main")).toBe(PROTECTED_STACK);
    expect(stackNameForBranch("trunk", "trunk")).toBe(PROTECTED_STACK);
    expect(stackNameForBranch("refs/heads/main")).toBe(PROTECTED_STACK);
  });

  it("adds a hash whenever the name is altered or cut", () => {
    expect(stackNameForBranch("Feature/Login")).toMatch(/^feature-login-[0-9a-f]{8}$/);
    expect(stackNameForBranch("x".repeat(300))).toMatch(
      new RegExp(`^x{${MAX_STACK_NAME_LENGTH - 9}}-[0-9a-f]{8}$`),
    );
    expect(stackNameForBranch("🚀")).toMatch(/^branch-[0-9a-f]{8}$/);
  });

  it("never gives another branch the protected stack, nor a name that looks hashed", () => {
    expect(stackNameForBranch("production")).toMatch(/^branch-production-[0-9a-f]{8}$/);
    // The branch role is denied every `<project>-production-*` resource: no branch stack starts so.
    expect(stackNameForBranch("production-hotfix")).toMatch(/^branch-production-hotfix-[0-9a-f]{8}$/);
    const lookalike = stackNameForBranch("feature-login-0123abcd");
    expect(lookalike).not.toBe("feature-login-0123abcd");
  });

  it("is always valid, bounded, stable and distinct for distinct branches (5,000 generated names)", () => {
    const seen = new Map<string, string>();
    fc.assert(
      fc.property(branchName, (branch) => {
        const stack = stackNameForBranch(branch);
        expect(stack.startsWith(`${PROTECTED_STACK}-`)).toBe(false);
        expect(stack).toMatch(VALID);
        expect(stack.length).toBeLessThanOrEqual(MAX_STACK_NAME_LENGTH);
        expect(stack).not.toBe(PROTECTED_STACK);
        expect(stackNameForBranch(branch)).toBe(stack);
        const other = seen.get(stack);
        if (other !== undefined) expect(other).toBe(branch);
        seen.set(stack, branch);
        // Every AWS name derived from it fits.
        expect(physicalNames(stack, "buffer", "kit-fixture").roleName.length).toBeLessThanOrEqual(64);
      }),
      { numRuns: 5000 },
    );
    expect(seen.size).toBeGreaterThan(4000);
  });

  it("prints the name from the command line, and exits 2 without a branch", () => {
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [commandBin("stack-name.ts"), ...args], {
        cwd: FIXTURE_ROOT,
        encoding: "utf8",
      });
    expect(run("dependabot/npm_and_yarn/zx-8.8.5").stdout.trim()).toMatch(
      /^dependabot-npm-and-yarn-zx-8-8-5-[0-9a-f]{8}$/,
    );
    expect(run("main").stdout.trim()).toBe("production");
    const bad = run();
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("expected exactly one branch name");
    // What Pulumi commands take: <org>/<stack> on Pulumi Cloud, the bare name on S3.
    expect(run("main", "--qualified", "--org", "acme").stdout.trim()).toBe("acme/production");
    expect(run("feature", "--qualified", "--org", "").stdout.trim()).toBe("feature");
    expect(run("feature", "--org", "acme").stdout.trim()).toBe("feature");
  });
});
