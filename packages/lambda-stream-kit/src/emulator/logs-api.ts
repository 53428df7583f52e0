import type { IncomingMessage, ServerResponse } from "node:http";
import { readBody } from "./body.js";
import { filterPattern, UnsupportedPatternError } from "./filter-pattern.js";
import type { LogEvent } from "./pool.js";

/** One log group the API serves: `/aws/lambda/<function name>`, as Lambda names them. */
export interface LogGroup {
  name: string;
  events: readonly LogEvent[];
}

/** The environment variable the AWS SDKs read for CloudWatch Logs' endpoint. */
export const LOGS_ENDPOINT_ENV = "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS";

/** CloudWatch Logs speaks JSON 1.1: POST /, the operation in X-Amz-Target (API reference, "Making requests"). */
export const LOGS_TARGET_PREFIX = "Logs_20140328.";

const MAX_BODY = 1024 * 1024;
/** FilterLogEvents' default and largest `limit` (API reference). */
const MAX_EVENTS = 10_000;

export class LogsApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

interface FilterRequest {
  logGroupName?: string;
  logGroupIdentifier?: string;
  logStreamNames?: string[];
  filterPattern?: string;
  startTime?: number;
  endTime?: number;
  limit?: number;
  nextToken?: string;
}

/**
 * FilterLogEvents over the emulator's log groups: the call a log fetch (and a user's own SDK
 * code) makes, with its request and error shapes. Events in time order; `nextToken` pages.
 */
export function filterLogEvents(groups: readonly LogGroup[], request: FilterRequest) {
  const name =
    request.logGroupName ??
    request.logGroupIdentifier?.replace(/^arn:[^:]*:logs:[^:]*:[^:]*:log-group:/, "").replace(/:\*$/, "");
  if (!name)
    throw new LogsApiError(
      400,
      "InvalidParameterException",
      "logGroupName or logGroupIdentifier is required",
    );
  const group = groups.find((g) => g.name === name);
  if (!group)
    throw new LogsApiError(400, "ResourceNotFoundException", "The specified log group does not exist.");
  let matches: (message: string) => boolean;
  try {
    matches = filterPattern(request.filterPattern);
  } catch (error) {
    if (error instanceof UnsupportedPatternError)
      throw new LogsApiError(400, "InvalidParameterException", error.message);
    throw error;
  }
  const limit = Math.min(MAX_EVENTS, Math.max(1, request.limit ?? MAX_EVENTS));
  const from = request.nextToken ? Number(request.nextToken) : 0;
  const streams = request.logStreamNames?.length ? new Set(request.logStreamNames) : undefined;
  const selected = group.events.filter(
    (event) =>
      (request.startTime === undefined || event.timestamp >= request.startTime) &&
      (request.endTime === undefined || event.timestamp <= request.endTime) &&
      (!streams || streams.has(event.logStreamName)) &&
      matches(event.message),
  );
  const page = selected.slice(from, from + limit);
  return {
    events: page.map(({ logStreamName, timestamp, ingestionTime, message, eventId }) => ({
      logStreamName,
      timestamp,
      ingestionTime,
      message,
      eventId,
    })),
    searchedLogStreams: [],
    ...(from + limit < selected.length ? { nextToken: String(from + limit) } : {}),
  };
}

/** Answers one JSON 1.1 request (its X-Amz-Target names a CloudWatch Logs operation). */
export async function handleLogsRequest(
  groups: readonly LogGroup[],
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const target = String(req.headers["x-amz-target"] ?? "");
  const operation = target.slice(LOGS_TARGET_PREFIX.length);
  const send = (status: number, value: unknown) =>
    res.writeHead(status, { "content-type": "application/x-amz-json-1.1" }).end(JSON.stringify(value));
  try {
    const body = await readBody(req, MAX_BODY);
    if (operation !== "FilterLogEvents") {
      throw new LogsApiError(
        400,
        "UnknownOperationException",
        `${operation} is not served by the local emulator (FilterLogEvents is)`,
      );
    }
    const request = JSON.parse(body?.toString("utf8") || "{}") as FilterRequest;
    send(200, filterLogEvents(groups, request));
  } catch (error) {
    const known =
      error instanceof LogsApiError
        ? error
        : new LogsApiError(400, "SerializationException", (error as Error).message);
    // JSON 1.1 errors: the type in `__type` (and X-Amzn-ErrorType), a message.
    res.setHeader("x-amzn-errortype", known.type);
    send(known.status, { __type: known.type, message: known.message });
  }
}
