/**
 * Which door an invocation came through, from its event alone:
 * - "function-url": a Function URL's event (payload format 2.0, `requestContext.http`); a
 *   prelude (HttpResponseStream.from) becomes the status and headers, and is optional;
 * - "rest-api": an API Gateway REST API's Lambda proxy event (`httpMethod`, `resource`,
 *   `requestContext.stage`); with responseTransferMode STREAM the metadata and the 8-byte
 *   delimiter are required before the body (API Gateway developer guide, "Set up a Lambda proxy
 *   integration with payload response streaming");
 * - "invoke": anything else (InvokeWithResponseStream from an SDK): the caller gets the bytes
 *   as written, so a prelude would reach it as bytes.
 */
export type Door = "function-url" | "rest-api" | "invoke";

export function eventDoor(event: unknown): Door {
  if (typeof event !== "object" || event === null) return "invoke";
  const e = event as {
    requestContext?: { http?: unknown; stage?: unknown };
    httpMethod?: unknown;
    resource?: unknown;
  };
  if (typeof e.requestContext?.http === "object" && e.requestContext.http !== null) return "function-url";
  if (
    typeof e.httpMethod === "string" &&
    typeof e.resource === "string" &&
    typeof e.requestContext?.stage === "string"
  )
    return "rest-api";
  return "invoke";
}
