/**
 * The facts every layer shares, in one module that imports nothing of the project:
 * `lambda/`, `infra/` and `scripts/lib/` import it, never each other sideways for these.
 */
import { fileURLToPath } from "node:url";

/** The repository's root folder (this file sits in lambda/). */
// Pure, so a handler bundle that imports the contract for its constants leaves it out.
export const REPO_ROOT = /* @__PURE__ */ fileURLToPath(new URL("..", import.meta.url));

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
/** The demo's pause between sentences, ms: 10 s keeps even a long speech inside 900 s. */
export const SENTENCE_INTERVAL_MS = { min: 0, max: 10_000, default: 1000 } as const;

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

/**
 * Set to "1" on a row whose URL streams the speech: the handler then sends
 * `X-Content-Type-Options: nosniff` to Function URL callers so browsers render it as it
 * arrives. Not on the buffered row: what a BUFFERED URL makes of a prelude is not
 * documented by AWS, and an answer that arrives whole needs no progressive rendering.
 */
export const SPEECH_NOSNIFF_ENV = "SPEECH_NOSNIFF";
