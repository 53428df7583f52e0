import { DEPLOY_TIERS, type DeployTier } from "../contract.js";

/**
 * Which state a job may touch: branch stacks, or production's. With a self-managed (DIY)
 * backend each tier has its own path in the bucket, so the branch role's `pulumi stack ls`
 * never meets production's checkpoint: the DIY backend's ListStacks reads every checkpoint
 * and returns the first error (pulumi/pulumi pkg/backend/diy/backend.go), and the branch role
 * is denied production's state, so one shared path would fail every janitor run.
 */
export const STATE_TIERS = DEPLOY_TIERS;
export type StateTier = DeployTier;

/** The URL schemes of Pulumi's DIY backends ("Using a DIY backend": s3://<bucket-path>, …). */
const DIY = /^(s3|gs|azblob|file):\/\//;

/**
 * The backend URL for one tier: a DIY URL gets the tier as a path in its bucket, before the
 * query (`s3://bucket?region=x` → `s3://bucket/branches?region=x`); Pulumi Cloud, which keeps
 * each stack apart itself, is returned as it is.
 */
export function tierBackendUrl(url: string, tier: StateTier): string {
  if (!DIY.test(url)) return url;
  const at = url.indexOf("?");
  const base = (at === -1 ? url : url.slice(0, at)).replace(/\/+$/, "");
  const query = at === -1 ? "" : url.slice(at);
  return `${base}/${tier}${query}`;
}
