import { fileURLToPath } from "node:url";
import { CloudWatchLogsClient, FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type RunningApi,
  type RunningFunction,
  serveFunction,
  serveLambdaApi,
} from "../../../src/emulator/emulator.js";
import { costLines, fetchReports } from "../../../src/stream-check/logs.js";
import { send } from "../../helpers/http.js";

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/handlers/${name}`, import.meta.url));

// The emulator's CloudWatch Logs API, read by AWS's own SDK client: what a log fetch in the
// check (and a user's own code) calls, pointed here by AWS_ENDPOINT_URL_CLOUDWATCH_LOGS.
describe("the emulator's CloudWatch Logs API through @aws-sdk/client-cloudwatch-logs", () => {
  let fn: RunningFunction;
  let api: RunningApi;
  let client: CloudWatchLogsClient;
  const started = Date.now();

  beforeAll(async () => {
    fn = await serveFunction({
      handler: fixture("buffered-router.mjs"),
      invokeMode: "RESPONSE_STREAM",
      name: "router",
      log: () => {},
    });
    api = await serveLambdaApi([fn], { log: () => {} });
    client = new CloudWatchLogsClient({
      endpoint: api.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
  });
  afterAll(async () => {
    client.destroy();
    await api.close();
    await fn.close();
  });

  it("finds one invocation's START, its own lines, END and REPORT by its request id", async () => {
    const answer = await send(`${fn.url}logs?tag=a`);
    const requestId = String(answer.headers["x-amzn-requestid"]);
    const reports = await fetchReports(client, "/aws/lambda/router", {
      sinceMs: started,
      expected: 1,
      timeoutMs: 5000,
      intervalMs: 100,
    });
    expect(reports.reports.map((r) => r.requestId)).toContain(requestId);
    const found = await client.send(
      new FilterLogEventsCommand({ logGroupName: "/aws/lambda/router", filterPattern: `"${requestId}"` }),
    );
    const messages = (found.events ?? []).map((e) => e.message ?? "");
    expect(messages[0]).toBe(`START RequestId: ${requestId} Version: $LATEST`);
    expect(messages.some((m) => m.includes(`${requestId}\tINFO\tlog line a 0`))).toBe(true);
    expect(messages.at(-1)).toMatch(new RegExp(`^REPORT RequestId: ${requestId}\\tDuration: `));
    expect(found.events?.[0]?.logStreamName).toMatch(/^local\/\[\$LATEST\]\d+$/);
  });

  it("answers AWS's errors: a log group that does not exist, an operation it does not serve", async () => {
    const failed = await client.send(new FilterLogEventsCommand({ logGroupName: "/aws/lambda/gone" })).then(
      () => undefined,
      (error: Error & { $metadata?: { httpStatusCode?: number } }) => error,
    );
    expect(failed?.name).toBe("ResourceNotFoundException");
    expect(failed?.message).toBe("The specified log group does not exist.");
    expect(failed?.$metadata?.httpStatusCode).toBe(400);
  });

  it("prices the row from its REPORT lines, and says why when there are none", async () => {
    const lines = await costLines(
      client,
      [
        { label: "router", functionName: "router", streamedBytes: 100, invocations: 1 },
        { label: "gone", functionName: "gone", streamedBytes: 0, invocations: 1 },
      ],
      { sinceMs: started, architecture: "arm64", timeoutMs: 300, intervalMs: 100 },
    );
    expect(lines[0]?.text).toMatch(
      /^router: billed [\d,]+ ms \(median of \d+\), memory \d+ of 128 MB, \$\d+\.\d{4} per 1,000 requests \(arm64/,
    );
    expect(lines[1]?.text).toBe(
      "gone: no cost line (ResourceNotFoundException: The specified log group does not exist.)",
    );
  });
});
