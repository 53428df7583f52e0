import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "./helpers/repo.js";
import { workflowSettings } from "./helpers/workflow-settings.js";

const readme = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
const steps = readme.slice(readme.indexOf("## Use this template"), readme.indexOf("## Quick start"));

describe("README", () => {
  it("names every repository variable and secret the workflows read, in the setup steps and the table", () => {
    const { variables, secrets } = workflowSettings();
    const table = readme.slice(readme.indexOf("Repository variables and secrets the workflows read"));
    for (const name of [...variables, ...secrets]) {
      expect(steps, name).toContain(`\`${name}\``);
      expect(table, name).toMatch(new RegExp(`\\| \`${name}\`\\s*\\|`));
    }
  });

  it("calls the repository ids required, and walks an admin through the bootstrap's real prerequisites", () => {
    expect(steps).not.toMatch(/githubOwnerId[^\n]*optional/);
    expect(steps).toContain("pulumi config set githubOwnerId");
    expect(steps).toContain("pulumi config set githubRepoId");
    expect(steps).toContain("pulumi login");
    expect(steps).toContain("pulumi config set aws:region");
    expect(steps).toContain("existingOidcProviderArn");
  });

  it("documents the Pulumi Cloud OIDC issuer registration and the token types", () => {
    expect(steps).toContain("OIDC Issuers");
    expect(steps).toContain("https://token.actions.githubusercontent.com");
    expect(steps).toContain("urn:pulumi:token-type:access_token:personal");
    expect(steps).toContain("urn:pulumi:token-type:access_token:organization");
  });

  it("says plainly what environments need and what the role split gives without them", () => {
    expect(steps).toMatch(/environments on a private repository need a paid plan/);
    expect(steps).toMatch(/required reviewers\s+need a public repository/);
  });
});
