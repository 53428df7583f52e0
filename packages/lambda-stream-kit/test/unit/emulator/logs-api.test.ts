import { describe, expect, it } from "vitest";
import { filterPattern, UnsupportedPatternError } from "../../../src/emulator/filter-pattern.js";
import { filterLogEvents, LogsApiError } from "../../../src/emulator/logs-api.js";

const event = (message: string, timestamp: number, stream = "local/[$LATEST]1") => ({
  logStreamName: stream,
  timestamp,
  ingestionTime: timestamp,
  message,
  eventId: String(timestamp),
});
const group = {
  name: "/aws/lambda/stream",
  events: [
    event("START RequestId: r-1 Version: $LATEST", 1000),
    event("2026-11-30T00:00:01.000Z\tr-1\tINFO\thello", 1001),
    event("END RequestId: r-1", 1002),
    event("REPORT RequestId: r-1\tDuration: 1.00 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB", 1003),
    event("START RequestId: r-2 Version: $LATEST", 2000, "local/[$LATEST]2"),
    event(
      "REPORT RequestId: r-2\tDuration: 2.00 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB",
      2001,
      "local/[$LATEST]2",
    ),
  ],
};

describe("filter patterns (CloudWatch Logs' term syntax)", () => {
  it.each([
    ["", "anything", true],
    ['"REPORT RequestId"', "REPORT RequestId: r-1", true],
    ['"REPORT RequestId"', "START RequestId: r-1", false],
    ["ERROR timeout", "ERROR: timeout after 3 s", true],
    ["ERROR timeout", "ERROR only", false],
    ["?ERROR ?WARN", "WARN disk", true],
    ["?ERROR ?WARN", "INFO fine", false],
    ["ERROR -retry", "ERROR retry 1", false],
    ["error", "ERROR", false],
  ])("%j on %j: %s", (pattern, message, expected) => {
    expect(filterPattern(pattern)(message)).toBe(expected);
  });

  it("refuses the JSON and bracket forms in words, instead of matching nothing", () => {
    expect(() => filterPattern('{ $.level = "ERROR" }')).toThrow(UnsupportedPatternError);
    expect(() => filterPattern("[ip, user]")).toThrow(/not served by the local Logs API/);
  });
});

describe("FilterLogEvents", () => {
  it("finds one invocation's lines by its request id, in time order", () => {
    const found = filterLogEvents([group], { logGroupName: "/aws/lambda/stream", filterPattern: '"r-1"' });
    expect(found.events.map((e) => e.timestamp)).toEqual([1000, 1001, 1002, 1003]);
    expect(found.events[0]).toEqual(group.events[0]);
  });

  it("takes a time window, stream names, a limit and pages with nextToken", () => {
    expect(filterLogEvents([group], { logGroupName: group.name, startTime: 2000 }).events).toHaveLength(2);
    expect(
      filterLogEvents([group], { logGroupName: group.name, logStreamNames: ["local/[$LATEST]2"] }).events,
    ).toHaveLength(2);
    const first = filterLogEvents([group], { logGroupName: group.name, limit: 4 });
    expect(first.events).toHaveLength(4);
    expect(first.nextToken).toBeDefined();
    const rest = filterLogEvents([group], { logGroupName: group.name, limit: 4, nextToken: first.nextToken });
    expect(rest.events.map((e) => e.timestamp)).toEqual([2000, 2001]);
    expect(rest.nextToken).toBeUndefined();
  });

  it("accepts the log group's ARN as its identifier", () => {
    const arn = "arn:aws:logs:us-east-1:000000000000:log-group:/aws/lambda/stream:*";
    expect(filterLogEvents([group], { logGroupIdentifier: arn }).events).toHaveLength(6);
  });

  it("answers AWS's error for a log group that does not exist", () => {
    expect(() => filterLogEvents([group], { logGroupName: "/aws/lambda/gone" })).toThrow(
      new LogsApiError(400, "ResourceNotFoundException", "The specified log group does not exist."),
    );
  });
});
