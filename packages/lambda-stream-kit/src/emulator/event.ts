import type { IncomingMessage } from "node:http";

/** The Function URL event, payload format 2.0 (the shape API Gateway HTTP APIs also use). */
export interface FunctionUrlEvent {
  version: "2.0";
  routeKey: "$default";
  rawPath: string;
  rawQueryString: string;
  cookies?: string[];
  headers: Record<string, string>;
  queryStringParameters?: Record<string, string>;
  requestContext: {
    accountId: string;
    apiId: string;
    domainName: string;
    domainPrefix: string;
    http: { method: string; path: string; protocol: string; sourceIp: string; userAgent: string };
    requestId: string;
    routeKey: "$default";
    stage: "$default";
    time: string;
    timeEpoch: number;
  };
  body?: string;
  isBase64Encoded: boolean;
}

const TEXT_TYPES = [
  /^text\//,
  /^application\/(json|javascript|xml|x-www-form-urlencoded|graphql|ld\+json)\b/,
  /\+(json|xml)\b/,
];

/** Function URLs pass text bodies as-is and everything else base64-encoded. */
export function isTextContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const type = contentType.toLowerCase();
  return TEXT_TYPES.some((pattern) => pattern.test(type));
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** `requestContext.time` is in CLF form: 12/Mar/2020:19:03:58 +0000. */
export function clfTime(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}

export interface EventOptions {
  requestId: string;
  /** The URL id AWS puts in front of `.lambda-url.<region>.on.aws`. */
  urlId: string;
  /** The invocation's X-Ray trace id (`Root=1-…`), which the URL passes as x-amzn-trace-id. */
  traceId?: string;
  now?: Date;
}

export function buildFunctionUrlEvent(
  req: IncomingMessage,
  body: Buffer,
  options: EventOptions,
): FunctionUrlEvent {
  const url = req.url ?? "/";
  const queryAt = url.indexOf("?");
  const rawPath = queryAt === -1 ? url : url.slice(0, queryAt);
  const rawQueryString = queryAt === -1 ? "" : url.slice(queryAt + 1);

  // Lower-cased names, repeated headers comma-joined; cookies travel in `cookies` instead.
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = String(req.rawHeaders[i]).toLowerCase();
    const value = String(req.rawHeaders[i + 1]);
    if (name === "cookie") {
      cookies.push(
        ...value
          .split(";")
          .map((c) => c.trim())
          .filter(Boolean),
      );
      continue;
    }
    headers[name] = name in headers ? `${headers[name]},${value}` : value;
  }

  const query: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(rawQueryString)) {
    query[key] = key in query ? `${query[key]},${value}` : value;
  }

  // What the Function URL adds in front of the function, as in AWS's sample events (Lambda
  // developer guide, "Request payload format"; the Powertools parser's sample): the client's
  // address, scheme and port, and the trace id. Locally the scheme is http.
  const sourceIp = (req.socket.remoteAddress ?? "").replace(/^::ffff:/, "");
  headers["x-forwarded-for"] = headers["x-forwarded-for"]
    ? `${headers["x-forwarded-for"]}, ${sourceIp}`
    : sourceIp;
  headers["x-forwarded-proto"] = "http";
  headers["x-forwarded-port"] = String(req.socket.localPort ?? "");
  if (options.traceId) headers["x-amzn-trace-id"] = options.traceId.split(";")[0] ?? options.traceId;

  const now = options.now ?? new Date();
  const domainName = headers.host ?? "localhost";
  const event: FunctionUrlEvent = {
    version: "2.0",
    routeKey: "$default",
    rawPath,
    rawQueryString,
    headers,
    requestContext: {
      accountId: "anonymous",
      // On AWS both are the URL id (domainName is <url-id>.lambda-url.<region>.on.aws); a
      // local host name has no such label, so the id is the emulator's own.
      apiId: options.urlId,
      domainName,
      domainPrefix: options.urlId,
      http: {
        method: req.method ?? "GET",
        path: decodePath(rawPath),
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp,
        userAgent: headers["user-agent"] ?? "",
      },
      requestId: options.requestId,
      routeKey: "$default",
      stage: "$default",
      time: clfTime(now),
      timeEpoch: now.getTime(),
    },
    isBase64Encoded: false,
  };
  if (cookies.length > 0) event.cookies = cookies;
  if (rawQueryString) event.queryStringParameters = query;
  if (body.length > 0) {
    const text = isTextContentType(headers["content-type"]);
    event.body = text ? body.toString("utf8") : body.toString("base64");
    event.isBase64Encoded = !text;
  }
  return event;
}

function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

export interface HttpResult {
  statusCode: number;
  headers: Record<string, string>;
  cookies: string[];
  body: Buffer;
  /** Fields of the result a Function URL does not read (said in one log line, not dropped silently). */
  ignored?: string[];
}

/**
 * How a Function URL turns a buffered handler result into HTTP: an object with
 * `statusCode` is a response description; anything else valid JSON is the body of a 200
 * with content-type application/json (a JSON string is sent as its text).
 */
export function httpResultFromPayload(payload: Buffer): HttpResult {
  const text = payload.toString("utf8");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { statusCode: 200, headers: { "content-type": "application/json" }, cookies: [], body: payload };
  }
  if (value && typeof value === "object" && !Array.isArray(value) && "statusCode" in value) {
    const described = value as {
      statusCode: unknown;
      multiValueHeaders?: unknown;
      headers?: Record<string, unknown>;
      cookies?: unknown[];
      body?: unknown;
      isBase64Encoded?: boolean;
    };
    const headers: Record<string, string> = {};
    for (const [name, headerValue] of Object.entries(described.headers ?? {})) {
      headers[name.toLowerCase()] = String(headerValue);
    }
    const body =
      described.body === undefined || described.body === null
        ? Buffer.alloc(0)
        : described.isBase64Encoded
          ? Buffer.from(String(described.body), "base64")
          : Buffer.from(typeof described.body === "string" ? described.body : JSON.stringify(described.body));
    return {
      statusCode: Number(described.statusCode) || 200,
      headers,
      cookies: (described.cookies ?? []).map(String),
      body,
      // API Gateway's REST proxy format reads multiValueHeaders; a Function URL's payload 2.0
      // response has headers and cookies only (Lambda developer guide, "Function URL
      // response payload format").
      ...(described.multiValueHeaders !== undefined ? { ignored: ["multiValueHeaders"] } : {}),
    };
  }
  const body = typeof value === "string" ? Buffer.from(value) : payload;
  return { statusCode: 200, headers: { "content-type": "application/json" }, cookies: [], body };
}
