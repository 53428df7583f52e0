import { spawnSync } from "node:child_process";
import { Octokit } from "@octokit/rest";
import type * as pulumi from "@pulumi/pulumi";
import type { Repository } from "./policies.js";

export interface BootstrapSettings {
  repository: Repository;
  existingOidcProviderArn: string | undefined;
  selfManagedState: boolean;
}

/** What the config names before the ids are resolved. */
export interface RepositoryConfig {
  owner: string;
  name: string;
  ownerId: string | undefined;
  repoId: string | undefined;
}

/** GitHub's rules for owner and repository names, and for numeric ids. */
const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const REPO = /^[A-Za-z0-9._-]{1,100}$/;

export function readBootstrapConfig(config: pulumi.Config): Omit<BootstrapSettings, "repository"> & {
  repository: RepositoryConfig;
} {
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
    throw new Error("config githubOwnerId and githubRepoId go together: set both (numeric ids)");
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
    repository: { owner, name, ownerId, repoId },
    existingOidcProviderArn: existing,
    selfManagedState: config.getBoolean("selfManagedState") ?? false,
  };
}

/** The one-line refusal when the ids are neither configured nor discoverable. */
export function missingIdsMessage(owner: string, name: string): string {
  return (
    "config githubOwnerId and githubRepoId are required: GitHub puts them in the OIDC subject of every " +
    "repository created from 2026-07-15 on (repo:OWNER@OWNER_ID/REPO@REPO_ID:...), so the deploy roles " +
    `must trust them. Set them with: pulumi config set githubOwnerId "$(gh api repos/${owner}/${name} --jq .owner.id)" ` +
    `&& pulumi config set githubRepoId "$(gh api repos/${owner}/${name} --jq .id)" ` +
    "(or export GITHUB_TOKEN and the bootstrap looks them up)"
  );
}

/** A GitHub token from the environment, or from the gh CLI when it is logged in. */
function githubToken(env: NodeJS.ProcessEnv): string | undefined {
  if (env.GITHUB_TOKEN || env.GH_TOKEN) return env.GITHUB_TOKEN || env.GH_TOKEN;
  const gh = spawnSync("gh", ["auth", "token"], { encoding: "utf8", timeout: 10_000 });
  return gh.status === 0 && gh.stdout.trim() ? gh.stdout.trim() : undefined;
}

/**
 * The repository with both numeric ids: from config, else looked up with GitHub's API
 * (`GET /repos/{owner}/{repo}`: `.owner.id` and `.id`) when a token is at hand; else a
 * refusal that prints the `gh api` commands, before anything is created.
 */
export async function resolveRepository(
  repo: RepositoryConfig,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Repository> {
  if (repo.ownerId && repo.repoId) return { ...repo, ownerId: repo.ownerId, repoId: repo.repoId };
  const token = githubToken(env);
  if (!token) throw new Error(missingIdsMessage(repo.owner, repo.name));
  const octokit = new Octokit({ auth: token, baseUrl: env.GITHUB_API_URL || "https://api.github.com" });
  try {
    const { data } = await octokit.rest.repos.get({ owner: repo.owner, repo: repo.name });
    return { owner: repo.owner, name: repo.name, ownerId: String(data.owner.id), repoId: String(data.id) };
  } catch (error) {
    const status = (error as { status?: number }).status;
    throw new Error(
      `looking up ${repo.owner}/${repo.name} on GitHub failed (${status ?? (error as Error).message}): ` +
        missingIdsMessage(repo.owner, repo.name),
    );
  }
}
