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

/**
 * An API Gateway REST API's Lambda proxy event (the "Input format of a Lambda function for proxy
 * integration" in API Gateway's developer guide): what a REST API door hands the function.
 */
export function restApiEvent(request: TestRequest & { stage?: string } = {}) {
  const url = new URL(request.path ?? "/", "https://test.execute-api.us-east-1.amazonaws.com");
  const stage = request.stage ?? "api";
  const headers = { host: url.host, ...request.headers };
  const multiQuery: Record<string, string[]> = {};
  for (const [key, value] of url.searchParams) multiQuery[key] = [...(multiQuery[key] ?? []), value];
  const query = Object.fromEntries(
    Object.entries(multiQuery).map(([key, values]) => [key, values.at(-1) ?? ""]),
  );
  const proxy = url.pathname.replace(/^\//, "");
  const method = (request.method ?? "GET").toUpperCase();
  return {
    resource: proxy ? "/{proxy+}" : "/",
    path: url.pathname,
    httpMethod: method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: Object.keys(query).length > 0 ? query : null,
    multiValueQueryStringParameters: Object.keys(multiQuery).length > 0 ? multiQuery : null,
    pathParameters: proxy ? { proxy } : null,
    stageVariables: null,
    requestContext: {
      accountId: "123456789012",
      apiId: "test",
      resourceId: "test",
      resourcePath: proxy ? "/{proxy+}" : "/",
      stage,
      requestId: randomUUID(),
      httpMethod: method,
      path: `/${stage}${url.pathname}`,
      protocol: "HTTP/1.1",
      identity: { sourceIp: "127.0.0.1", userAgent: "test" },
      domainName: url.host,
      requestTimeEpoch: Date.now(),
    },
    body: request.body ?? null,
    isBase64Encoded: false,
  };
}
