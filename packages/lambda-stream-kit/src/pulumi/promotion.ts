/**
 * Check-gated promotion of production, as pure decisions. Production's functions publish a
 * version at every change; users reach them through the `live` alias, and a new version is
 * first served by the `candidate` alias (its own AWS_IAM URL). The pipeline: `up` (candidate →
 * the new version, live unchanged) → check the candidate → promote (live → the new version) →
 * check live → on failure, live back to what it served before. Each step's decision is made
 * here from the checks' verdicts and the versions, so the workflow only runs what it is told.
 */

/** Row name to Lambda version number. */
export type Versions = Record<string, string>;

export type PromotionStage = "candidate" | "live";

export interface PromotionInput {
  stage: PromotionStage;
  /** The check's verdict at this stage. */
  passed: boolean;
  /** What live served before this run (the stack's liveVersions output); none on the first deploy. */
  previousLive: Versions | undefined;
  /** The versions this run published (the stack's candidateVersions output). */
  candidate: Versions;
  /** Another run of production is queued behind this one (it will deploy its own candidate). */
  queued?: boolean;
}

export interface PromotionDecision {
  /** promote: move live to `live`; rollback: move live back to `live`; keep and done: nothing. */
  action: "promote" | "keep" | "rollback" | "done";
  /** The live versions to set, for promote and rollback. */
  live?: Versions;
  /** The run fails (a check failed), whatever was done about it. */
  failed: boolean;
  /** One line: what happened, and which version production serves now. */
  message: string;
}

const describe = (versions: Versions) =>
  Object.entries(versions)
    .map(([row, version]) => `${row} v${version}`)
    .join(", ") || "(no rows)";

const same = (a: Versions | undefined, b: Versions) =>
  a !== undefined &&
  Object.keys(b).every((row) => a[row] === b[row]) &&
  Object.keys(a).length === Object.keys(b).length;

export function decidePromotion(input: PromotionInput): PromotionDecision {
  const { stage, passed, previousLive, candidate } = input;
  const queued = input.queued ? " (a newer run is queued: it checks its own candidate next)" : "";
  if (stage === "candidate") {
    if (passed)
      return {
        action: "promote",
        live: candidate,
        failed: false,
        message: `the candidate passed its check: promoting live to ${describe(candidate)}${previousLive ? ` (from ${describe(previousLive)})` : ""}${queued}`,
      };
    if (same(previousLive, candidate))
      return {
        action: "keep",
        failed: true,
        message: `the candidate (${describe(candidate)}) failed its check, and live already serves that version (the first deploy, or nothing new was published): fix forward${queued}`,
      };
    if (!previousLive)
      return {
        action: "keep",
        failed: true,
        message: `production's first version failed its check, and live serves it (${describe(candidate)}): there is no earlier version to keep serving; fix forward${queued}`,
      };
    return {
      action: "keep",
      failed: true,
      message: `the candidate (${describe(candidate)}) failed its check: live is unchanged and production still serves ${describe(previousLive)}${queued}`,
    };
  }
  if (passed)
    return {
      action: "done",
      failed: false,
      message: `live serves ${describe(candidate)} and passed its check${queued}`,
    };
  if (!previousLive || same(previousLive, candidate))
    return {
      action: "keep",
      failed: true,
      message: `live (${describe(candidate)}) failed its check after promotion, and there is no earlier version to roll back to: fix forward${queued}`,
    };
  return {
    action: "rollback",
    live: previousLive,
    failed: true,
    message: `live (${describe(candidate)}) failed its check after promotion: rolling live back to ${describe(previousLive)}${queued}`,
  };
}
