import type { UrlCors } from "../contract.js";

/**
 * A Function URL's CORS, applied the way the Function URL service applies it (AWS Lambda
 * developer guide, "Function URLs", CORS): it answers a preflight OPTIONS itself without
 * invoking the function, and adds the CORS headers to actual responses for allowed
 * origins only; the CORS headers a function sets itself are replaced by the URL's.
 * Without a configuration nothing is added (AWS's default).
 *
 * A REST API door adds nothing: with a Lambda proxy integration the function's metadata is
 * the answer's only headers, and ANY sends preflights to the function too. So the function
 * applies the same rules itself (restApiCors below), with the row's `cors` the stack hands it.
 */

type Headers = Record<string, string | string[] | undefined>;

const lower = (values: readonly string[] | undefined) => (values ?? []).map((v) => v.toLowerCase());
const header = (headers: Headers, name: string) => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** A browser's preflight: OPTIONS with an Origin and the method it wants to use. */
export function isPreflight(method: string | undefined, headers: Headers): boolean {
  return (
    method === "OPTIONS" &&
    Boolean(header(headers, "origin")) &&
    Boolean(header(headers, "access-control-request-method"))
  );
}

/** The origin this configuration allows, as Access-Control-Allow-Origin would carry it. */
export function allowedOrigin(cors: UrlCors, origin: string | undefined): string | undefined {
  if (!origin) return undefined;
  const origins = cors.allowOrigins ?? [];
  // `*` matches any origin, but a credentialed response must name it (Fetch standard, CORS protocol).
  if (origins.includes("*")) return cors.allowCredentials ? origin : "*";
  return lower(origins).includes(origin.toLowerCase()) ? origin : undefined;
}

/**
 * The answer to a preflight: its headers when the origin, method and request headers are
 * all allowed, else none (the browser then blocks the request and says why).
 */
export function preflightHeaders(cors: UrlCors, headers: Headers): Record<string, string> {
  const origin = allowedOrigin(cors, header(headers, "origin"));
  if (!origin) return {};
  const method = (header(headers, "access-control-request-method") ?? "").toUpperCase();
  const methods = cors.allowMethods ?? [];
  if (!methods.includes("*") && !methods.includes(method as never)) return {};
  const asked = (header(headers, "access-control-request-headers") ?? "")
    .split(",")
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  const allowed = lower(cors.allowHeaders);
  if (!allowed.includes("*") && asked.some((h) => !allowed.includes(h))) return {};
  const out: Record<string, string> = {
    "access-control-allow-origin": origin,
    "access-control-allow-methods": methods.join(","),
  };
  if (asked.length > 0)
    out["access-control-allow-headers"] = allowed.includes("*")
      ? asked.join(",")
      : (cors.allowHeaders ?? []).join(",");
  if (cors.maxAge !== undefined) out["access-control-max-age"] = String(cors.maxAge);
  if (cors.allowCredentials) out["access-control-allow-credentials"] = "true";
  if (origin !== "*") out.vary = "Origin";
  return out;
}

/** The CORS headers for an actual (non-preflight) response to `origin`. */
export function responseHeaders(cors: UrlCors, origin: string | undefined): Record<string, string> {
  const allowed = allowedOrigin(cors, origin);
  if (!allowed) return {};
  const out: Record<string, string> = { "access-control-allow-origin": allowed };
  if (cors.exposeHeaders?.length) out["access-control-expose-headers"] = cors.exposeHeaders.join(",");
  if (cors.allowCredentials) out["access-control-allow-credentials"] = "true";
  if (allowed !== "*") out.vary = "Origin";
  return out;
}

/** The environment variable that carries a row's `cors` to its function, for a REST API door. */
export const CORS_ENV = "LAMBDA_STREAM_KIT_CORS";

/**
 * For a function behind a REST API door: the preflight's answer (send it as the metadata and
 * end), or the CORS headers to add to the answer's metadata, from the row's `cors` (CORS_ENV).
 * Nothing when the row has no `cors` or the origin is not allowed, as a Function URL does.
 */
export function restApiCors(
  event: unknown,
  env: Record<string, string | undefined> = process.env,
): { preflight: Record<string, string> | undefined; headers: Record<string, string> } {
  const raw = env[CORS_ENV];
  if (!raw) return { preflight: undefined, headers: {} };
  const cors = JSON.parse(raw) as UrlCors;
  const e = (event ?? {}) as { httpMethod?: string; headers?: Record<string, string> | null };
  const headers = Object.fromEntries(Object.entries(e.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  if (isPreflight(e.httpMethod, headers)) return { preflight: preflightHeaders(cors, headers), headers: {} };
  return { preflight: undefined, headers: responseHeaders(cors, headers.origin) };
}
