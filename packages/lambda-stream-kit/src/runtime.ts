/**
 * The Lambda runtimes this template deploys. nodejs24.x is GA with deprecation on 2028-04-30;
 * nodejs22.x deprecates on 2027-04-30; nodejs20.x reached end of support on 2026-04-30
 * (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html).
 */
export const LAMBDA_RUNTIMES = ["nodejs22.x", "nodejs24.x"] as const;
export type LambdaRuntime = (typeof LAMBDA_RUNTIMES)[number];
export const DEFAULT_LAMBDA_RUNTIME: LambdaRuntime = "nodejs24.x";

/** The Node.js major a runtime runs: `nodejs24.x` → 24. */
export function runtimeNodeMajor(runtime: LambdaRuntime): number {
  return Number(runtime.replace(/^nodejs(\d+)\.x$/, "$1"));
}

/** esbuild's target for a runtime, so the bundle uses exactly what that Node supports. */
export function bundleTarget(runtime: LambdaRuntime = DEFAULT_LAMBDA_RUNTIME): string {
  return `node${runtimeNodeMajor(runtime)}`;
}

/** Graviton: cheaper per GB-second than x86_64 for the same work. */
export const LAMBDA_ARCHITECTURE = "arm64";
