/**
 * The Lambda runtimes this template deploys (nodejs20.x reaches end of support on
 * 2026-04-30; 14/16/18 can no longer be created). The bundle targets the oldest one.
 */
export const LAMBDA_RUNTIMES = ["nodejs22.x", "nodejs24.x"] as const;
export type LambdaRuntime = (typeof LAMBDA_RUNTIMES)[number];
export const DEFAULT_LAMBDA_RUNTIME: LambdaRuntime = "nodejs22.x";
/** esbuild's target for the oldest runtime above. */
export const BUNDLE_TARGET = `node${LAMBDA_RUNTIMES[0].replace(/^nodejs(\d+)\.x$/, "$1")}`;
/** Graviton: cheaper per GB-second than x86_64 for the same work. */
export const LAMBDA_ARCHITECTURE = "arm64";
