/**
 * The facts every area of the kit shares, in one module that imports nothing: the emulator,
 * the stream check, the stack helpers and the GitHub and Pulumi helpers read them here, never
 * each other sideways for these.
 */

/** A Function URL's invoke modes (AWS::Lambda::Url InvokeMode). */
export const INVOKE_MODES = ["RESPONSE_STREAM", "BUFFERED"] as const;
export type InvokeMode = (typeof INVOKE_MODES)[number];

/** A Function URL's auth types (AWS::Lambda::Url AuthType). */
export const AUTH_TYPES = ["NONE", "AWS_IAM"] as const;
export type AuthType = (typeof AUTH_TYPES)[number];

/** Lambda's memory setting, MB (Lambda quotas: 128 to 10,240). */
export const MEMORY_MB = { min: 128, max: 10_240, default: 128 } as const;
/** Lambda's timeout, seconds (Lambda quotas: up to 900). */
export const TIMEOUT_S = { min: 1, max: 900, default: 30 } as const;
/** A row's pause between writes, ms (FunctionSpec.interval; `--interval-ms` overrides it in tests). */
export const INTERVAL_MS = { min: 0, max: 60_000, default: 1000 } as const;

/** A function's log group, as Lambda names it (the emulator's Logs API and the check use it too). */
export function lambdaLogGroup(functionName: string): string {
  return `/aws/lambda/${functionName}`;
}

/** The long-lived stack the default branch deploys; teardown and the janitor refuse it. */
export const PROTECTED_STACK = "production";

/**
 * Who deploys, and whose state they touch: the branch stacks, or production. Each has its own
 * deploy role and, with a self-managed backend, its own path in the state bucket.
 */
export const DEPLOY_TIERS = ["branches", "production"] as const;
export type DeployTier = (typeof DEPLOY_TIERS)[number];

/** The DIY backend's metadata file under each tier's path (pulumi/pulumi pkg/backend/diy/meta.go). */
export const DIY_META_KEY = ".pulumi/meta.yaml";
/** Its content for the project layout (version 1: project-scoped stacks). */
export const DIY_META_CONTENT = "version: 1\n";

/** The methods a Function URL's CORS may allow (AWS::Lambda::Url AllowMethods). */
export const CORS_METHODS = ["GET", "PUT", "HEAD", "POST", "PATCH", "DELETE", "*"] as const;
export type CorsMethod = (typeof CORS_METHODS)[number];

/**
 * A Function URL's CORS (AWS::Lambda::Url Cors, the aws-native Url's `cors` input, same
 * names). Without it a Function URL adds no CORS headers, as on AWS.
 */
export interface UrlCors {
  allowOrigins?: string[];
  allowMethods?: CorsMethod[];
  allowHeaders?: string[];
  exposeHeaders?: string[];
  /** Seconds a browser may cache a preflight answer (AWS: 0 to 86400). */
  maxAge?: number;
  allowCredentials?: boolean;
}

/** The port `npm start` serves its demo page on: the demo rows allow that origin. */
export const DEMO_PAGE_PORT = 3010;
/** The page's origins, as a browser names them (both spellings of this machine). */
export const DEMO_PAGE_ORIGINS = [`http://127.0.0.1:${DEMO_PAGE_PORT}`, `http://localhost:${DEMO_PAGE_PORT}`];
