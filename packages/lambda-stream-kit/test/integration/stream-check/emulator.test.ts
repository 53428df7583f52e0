import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type RunningApi,
  type RunningFunction,
  serveFunction,
  serveLambdaApi,
} from "../../../src/emulator/emulator.js";
import { checkUrl, exitCodeFor, invokeTargetFor } from "../../../src/stream-check/check.js";
import { DEFAULT_CHECK_OPTIONS } from "../../../src/stream-check/run.js";
import { runScript } from "../../helpers/process.js";
import { FUNCTIONS, functionNamed, SENTENCES, SPEECH_HANDLER, withInterval } from "../../helpers/project.js";

const INTERVAL_MS = 250;

// The real bundle behind the local Function URLs: what `npm start` and CI check.
describe("stream check against the local emulator", () => {
  const running: RunningFunction[] = [];
  let fast: { streaming: string; buffered: string };
  const quiet = () => {};

  beforeAll(async () => {
    const serve = async (mode: "RESPONSE_STREAM" | "BUFFERED", interval?: number) => {
      const fn = await serveFunction({
        handler: SPEECH_HANDLER,
        invokeMode: mode,
        env: interval === undefined ? {} : { SENTENCE_INTERVAL_MS: String(interval) },
        log: quiet,
      });
      running.push(fn);
      return fn.url;
    };
    fast = {
      streaming: await serve("RESPONSE_STREAM", INTERVAL_MS),
      buffered: await serve("BUFFERED", INTERVAL_MS),
    };
  });

  afterAll(async () => {
    await Promise.all(running.map((fn) => fn.close()));
  });

  // The emulator runs in this worker, beside other files: a stall of 107 ms made one gap of
  // 150 ± 70 ms fail. The hostile tests' proportions, at a longer interval.
  const fastOptions = { ...DEFAULT_CHECK_OPTIONS, intervalMs: INTERVAL_MS, toleranceMs: INTERVAL_MS * 0.45 };

  it("passes the streaming URL as streaming and the buffered URL as buffered", async () => {
    const results = await Promise.all([
      checkUrl(
        { label: "streaming", url: fast.streaming, expect: { lines: { text: SENTENCES, arrive: "paced" } } },
        fastOptions,
      ),
      checkUrl(
        { label: "buffered", url: fast.buffered, expect: { lines: { text: SENTENCES, arrive: "together" } } },
        fastOptions,
      ),
    ]);
    for (const result of results) expect(result.assertions.filter((a) => !a.passed)).toEqual([]);
    expect(exitCodeFor(results)).toBe(0);
  });

  it("fails each URL under the other expectation", async () => {
    const [streamingAsBuffered, bufferedAsStreaming] = await Promise.all([
      checkUrl(
        {
          label: "streaming",
          url: fast.streaming,
          expect: { lines: { text: SENTENCES, arrive: "together" } },
        },
        fastOptions,
      ),
      checkUrl(
        { label: "buffered", url: fast.buffered, expect: { lines: { text: SENTENCES, arrive: "paced" } } },
        fastOptions,
      ),
    ]);
    expect(streamingAsBuffered?.passed).toBe(false);
    expect(streamingAsBuffered?.assertions.map((a) => a.reason).join()).toMatch(
      /this URL STREAMS, it is not BUFFERED/,
    );
    expect(bufferedAsStreaming?.passed).toBe(false);
    expect(bufferedAsStreaming?.assertions.map((a) => a.reason).join()).toMatch(
      /this URL is BUFFERED, not RESPONSE_STREAM/,
    );
  });
});

// The second door: the same check through the AWS SDK's InvokeWithResponseStream, against
// the emulator's Lambda API, found the way the SDK finds it (AWS_ENDPOINT_URL_LAMBDA).
// Two readers of one function at once, beside a CLI loading the SDK: a longer interval, so
// a loaded machine's stall does not put two sentences in one chunk.
const SDK_INTERVAL_MS = 250;
// Lambda's smallest timeout (1 s) cuts the speech short at this pace, whatever its length.
const SLOW_INTERVAL_MS = Math.max(300, Math.ceil(2000 / Math.max(1, SENTENCES.length - 1)));

describe("stream check through the AWS SDK", () => {
  const running: RunningFunction[] = [];
  let api: RunningApi;
  let streamUrl: string;
  const saved = { ...process.env };
  const quiet = () => {};
  const options = { ...DEFAULT_CHECK_OPTIONS, intervalMs: 100, toleranceMs: 50, waitS: 0 };

  beforeAll(async () => {
    const stream = await serveFunction({
      name: "stream",
      function: functionNamed("stream", FUNCTIONS),
      invokeMode: "RESPONSE_STREAM",
      env: { SENTENCE_INTERVAL_MS: String(SDK_INTERVAL_MS) },
      log: quiet,
    });
    // Lambda's smallest timeout cuts the speech short.
    const slow = await serveFunction({
      name: "slow",
      function: functionNamed("stream", FUNCTIONS),
      invokeMode: "RESPONSE_STREAM",
      timeoutS: 1,
      env: { SENTENCE_INTERVAL_MS: String(SLOW_INTERVAL_MS) },
      log: quiet,
    });
    // Warm instances, so no read waits for a cold start (whose first writes would arrive
    // together).
    await stream.pool.provision();
    running.push(stream, slow);
    streamUrl = stream.url;
    api = await serveLambdaApi(running, { log: quiet });
    Object.assign(process.env, sdkEnv(api.endpoint));
  });

  afterAll(async () => {
    process.env = saved;
    await api?.close();
    await Promise.all(running.map((fn) => fn.close()));
  });

  const sdkEnv = (endpoint: string) => ({
    AWS_ENDPOINT_URL_LAMBDA: endpoint,
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "local",
    AWS_SECRET_ACCESS_KEY: "local",
  });

  it("check-stream --invoke reads the stream after the URL and passes both, with the same cadence assertions", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sdk-check-"));
    const run = await runScript(
      "check-stream.ts",
      [
        "--url",
        streamUrl,
        "--function",
        "stream",
        "--invoke",
        "stream",
        "--interval-ms",
        String(SDK_INTERVAL_MS),
        "--tolerance-ms",
        "100",
        "--json",
        join(dir, "r.json"),
      ],
      { ...sdkEnv(api.endpoint), GITHUB_STEP_SUMMARY: "" },
    );
    expect(run.status, run.stderr + run.stdout).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, "r.json"), "utf8")) as {
      checks: { label: string; passed: boolean; assertions: { id: string }[] }[];
    };
    expect(report.checks.map((r) => [r.label, r.passed])).toEqual([
      ["stream", true],
      ["stream·sdk", true],
    ]);
    // The SDK path is judged by the same checks as curl's, gaps and all.
    expect(report.checks[1]?.assertions.map((a) => a.id)).toEqual(
      report.checks[0]?.assertions.map((a) => a.id),
    );
    expect(run.stderr).toMatch(
      /stream·sdk\s+InvokeWithResponseStream http:\/\/127\.0\.0\.1:\d+\/2021-11-15\/functions\/stream\/response-streaming-invocations/,
    );
  });

  it("fails a stream the function's timeout cuts short, naming InvokeComplete's error", async () => {
    const target = invokeTargetFor(withInterval(functionNamed("stream", FUNCTIONS), SLOW_INTERVAL_MS), {
      functionName: "slow",
      region: "us-east-1",
    });
    const result = await checkUrl(target, options);
    expect(result.passed).toBe(false);
    const reasons = result.assertions.filter((a) => !a.passed).map((a) => a.reason);
    expect(reasons[0]).toMatch(
      /the stream was cut short after \d line\(s\) \(InvokeComplete ErrorCode Sandbox\.Timedout: .*Task timed out after 1\.00 seconds\)/,
    );
  });

  it("fails an unknown function with AWS's own error", async () => {
    const target = invokeTargetFor(withInterval(functionNamed("stream", FUNCTIONS), SDK_INTERVAL_MS), {
      functionName: "gone",
      region: "us-east-1",
    });
    const result = await checkUrl(target, options);
    expect(result.passed).toBe(false);
    expect(result.assertions.find((a) => !a.passed)?.reason).toMatch(
      /HTTP 404 .*\(body: ResourceNotFoundException: Function not found: arn:aws:lambda:[^)]*function:gone/,
    );
  });
});
