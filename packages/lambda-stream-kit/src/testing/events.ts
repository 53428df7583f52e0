import { randomUUID } from "node:crypto";

/** What a test states of a request; the rest of the event is filled in as a Function URL would. */
export interface TestRequest {
  method?: string;
  /** Path and query, e.g. `/orders?limit=2`. */
  path?: string;
  headers?: Record<string, string>;
  body?: string;
}

/**
 * A Function URL's event (payload format 2.0, as AWS documents it in "Invoking Lambda
 * function URLs": version, rawPath, rawQueryString, headers lower-cased, requestContext.http),
 * for unit tests of a handler. The emulator builds the full one from a real HTTP request.
 */
export function functionUrlEvent(request: TestRequest = {}) {
  const url = new URL(request.path ?? "/", "https://test.lambda-url.us-east-1.on.aws");
  const headers = Object.fromEntries(
    Object.entries({ host: url.host, ...request.headers }).map(([k, v]) => [k.toLowerCase(), v]),
  );
  const query = Object.fromEntries(url.searchParams);
  const method = (request.method ?? "GET").toUpperCase();
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: "anonymous",
      apiId: "test",
      domainName: url.host,
      domainPrefix: "test",
      http: { method, path: url.pathname, protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: "test" },
      requestId: randomUUID(),
      routeKey: "$default",
      stage: "$default",
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    ...(request.body !== undefined
      ? { body: request.body, isBase64Encoded: false }
      : { isBase64Encoded: false }),
  };
}
