import type { Octokit } from "@octokit/rest";

/**
 * Deployments you can click. Every branch job runs in the shared `preview` environment (its
 * credentials live there), and GitHub's `auto_inactive` marks a success's earlier deployments of
 * the same environment inactive: one branch's deploy would kill another's link. So each branch
 * stack gets deployments of its own environment, `preview/<stack>`, through the API: transient
 * (GitHub's `transient_environment`: it goes away with the branch), so `auto_inactive` leaves
 * them alone and the branch's own earlier ones are marked inactive here; the teardown marks the
 * rest inactive. GitHub's REST API, "Deployments" and "Deployment statuses".
 */
export function branchEnvironment(stack: string): string {
  return `preview/${stack}`;
}

export interface DeploymentTarget {
  owner: string;
  repo: string;
  environment: string;
}

/** Records one deployment of `sha` with its URL (GitHub shows "View deployment"); returns its id. */
export async function recordDeployment(
  octokit: Octokit,
  target: DeploymentTarget,
  deployed: { sha: string; url: string; logUrl?: string | undefined },
): Promise<number> {
  const earlier = await activeDeployments(octokit, target);
  const created = await octokit.rest.repos.createDeployment({
    owner: target.owner,
    repo: target.repo,
    ref: deployed.sha,
    environment: target.environment,
    transient_environment: true,
    production_environment: false,
    // Deploying already happened; this records it: no merge of the default branch, no status checks.
    auto_merge: false,
    required_contexts: [],
    description: "the branch's stack, deployed and checked",
  });
  const id = (created.data as { id: number }).id;
  await octokit.rest.repos.createDeploymentStatus({
    owner: target.owner,
    repo: target.repo,
    deployment_id: id,
    state: "success",
    environment_url: deployed.url,
    ...(deployed.logUrl ? { log_url: deployed.logUrl } : {}),
    description: "deployed; the stream check ran",
  });
  for (const old of earlier)
    await markInactive(octokit, target, old, "superseded by a newer deploy of this branch");
  return id;
}

/** Marks every active deployment of the environment inactive (the stack is gone); returns how many. */
export async function deactivateEnvironment(octokit: Octokit, target: DeploymentTarget): Promise<number> {
  const active = await activeDeployments(octokit, target);
  for (const id of active) await markInactive(octokit, target, id, "the stack was destroyed");
  return active.length;
}

async function activeDeployments(octokit: Octokit, target: DeploymentTarget): Promise<number[]> {
  const deployments = await octokit.paginate(octokit.rest.repos.listDeployments, {
    owner: target.owner,
    repo: target.repo,
    environment: target.environment,
    per_page: 100,
  });
  const active: number[] = [];
  for (const deployment of deployments) {
    const { data: statuses } = await octokit.rest.repos.listDeploymentStatuses({
      owner: target.owner,
      repo: target.repo,
      deployment_id: deployment.id,
      per_page: 1,
    });
    if (statuses[0]?.state === "success") active.push(deployment.id);
  }
  return active;
}

function markInactive(octokit: Octokit, target: DeploymentTarget, id: number, description: string) {
  return octokit.rest.repos.createDeploymentStatus({
    owner: target.owner,
    repo: target.repo,
    deployment_id: id,
    state: "inactive",
    description,
  });
}
