import type * as pulumi from "@pulumi/pulumi";
import type { Repository } from "./policies.js";

export interface BootstrapSettings {
  repository: Repository;
  existingOidcProviderArn: string | undefined;
  selfManagedState: boolean;
}

/** GitHub's rules for owner and repository names, and for numeric ids. */
const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const REPO = /^[A-Za-z0-9._-]{1,100}$/;

export function readBootstrapSettings(config: pulumi.Config): BootstrapSettings {
  const need = (key: string) => {
    const value = config.get(key);
    if (!value) throw new Error(`config ${key} is required: pulumi config set ${key} <value>`);
    return value;
  };
  const owner = need("githubOwner");
  const name = need("githubRepo");
  if (!OWNER.test(owner))
    throw new Error(`config githubOwner=${JSON.stringify(owner)} is not a GitHub owner name`);
  if (!REPO.test(name))
    throw new Error(`config githubRepo=${JSON.stringify(name)} is not a GitHub repository name`);
  const ownerId = config.get("githubOwnerId") || undefined;
  const repoId = config.get("githubRepoId") || undefined;
  if (Boolean(ownerId) !== Boolean(repoId)) {
    throw new Error("config githubOwnerId and githubRepoId go together: set both (numeric ids) or neither");
  }
  for (const [key, value] of [
    ["githubOwnerId", ownerId],
    ["githubRepoId", repoId],
  ] as const) {
    if (value !== undefined && !/^\d+$/.test(value))
      throw new Error(`config ${key}=${JSON.stringify(value)} must be numeric`);
  }
  const existing = config.get("existingOidcProviderArn") || undefined;
  if (
    existing !== undefined &&
    !/^arn:aws[\w-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/.test(existing)
  ) {
    throw new Error(
      `config existingOidcProviderArn=${JSON.stringify(existing)} is not GitHub's OIDC provider ARN`,
    );
  }
  return {
    repository: { owner, name, ...(ownerId && repoId ? { ownerId, repoId } : {}) },
    existingOidcProviderArn: existing,
    selfManagedState: config.getBoolean("selfManagedState") ?? false,
  };
}
