import type { Octokit } from "@octokit/rest";

/**
 * A record that lasts of what production's requests cost, for later pull requests to show
 * beside theirs: a status on the production job's own deployment (GitHub makes one for every
 * job that names an environment; statuses are kept, artifacts expire). Its description holds
 * the figures; GitHub allows 140 characters there ("Create a deployment status").
 */
export const COST_PREFIX = "cost per 1,000 requests (USD):";
const MAX_DESCRIPTION = 140;

/** `cost per 1,000 requests (USD): stream=0.0037 buffer=0.0036`, as many rows as fit. */
export function costDescription(usdPer1000: Record<string, number>): string {
  let text = COST_PREFIX;
  for (const [row, usd] of Object.entries(usdPer1000)) {
    const part = ` ${row}=${usd.toPrecision(4)}`;
    if (text.length + part.length > MAX_DESCRIPTION) break;
    text += part;
  }
  return text;
}

/** The figures back from a description, or undefined when it is not one of ours. */
export function parseCostDescription(
  description: string | null | undefined,
): Record<string, number> | undefined {
  if (!description?.startsWith(COST_PREFIX)) return undefined;
  const figures: Record<string, number> = {};
  for (const match of description.slice(COST_PREFIX.length).matchAll(/([a-z0-9-]+)=([\d.e-]+)/g)) {
    const value = Number(match[2]);
    if (Number.isFinite(value)) figures[match[1] as string] = value;
  }
  return figures;
}

interface Repo {
  octokit: Octokit;
  owner: string;
  repo: string;
}

/** Adds the figures to this job's deployment (the environment's newest for this commit). */
export async function recordCosts(
  github: Repo,
  environment: string,
  sha: string,
  usdPer1000: Record<string, number>,
): Promise<{ deploymentId: number; description: string } | undefined> {
  const { data: deployments } = await github.octokit.rest.repos.listDeployments({
    owner: github.owner,
    repo: github.repo,
    environment,
    sha,
    per_page: 1,
  });
  const deployment = deployments[0];
  if (!deployment) return undefined;
  const description = costDescription(usdPer1000);
  await github.octokit.rest.repos.createDeploymentStatus({
    owner: github.owner,
    repo: github.repo,
    deployment_id: deployment.id,
    state: "success",
    description,
    // Only a record: it must not mark the environment's other deployments inactive.
    auto_inactive: false,
  });
  return { deploymentId: deployment.id, description };
}

/** The newest figures recorded on the environment's deployments (the last ten looked at). */
export async function latestCosts(
  github: Repo,
  environment: string,
): Promise<Record<string, number> | undefined> {
  const { data: deployments } = await github.octokit.rest.repos.listDeployments({
    owner: github.owner,
    repo: github.repo,
    environment,
    per_page: 10,
  });
  for (const deployment of deployments) {
    const { data: statuses } = await github.octokit.rest.repos.listDeploymentStatuses({
      owner: github.owner,
      repo: github.repo,
      deployment_id: deployment.id,
      per_page: 100,
    });
    for (const status of statuses) {
      const figures = parseCostDescription(status.description);
      if (figures) return figures;
    }
  }
  return undefined;
}
