import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  InvokeWithResponseStreamCommand,
  type InvokeWithResponseStreamResponseEvent,
  LambdaClient,
  ListFunctionsCommand,
} from "@aws-sdk/client-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type RunningApi,
  type RunningFunction,
  serveFunction,
  serveLambdaApi,
} from "../../../src/emulator/emulator.js";
import { ENDPOINT_ENV } from "../../../src/emulator/lambda-api.js";
import type { RuntimeClientName } from "../../../src/emulator/runtime-clients.js";
import {
  FIXTURE_ROOT,
  FUNCTIONS,
  functionNamed,
  KIT_ROOT,
  SENTENCE_INTERVAL_ENV,
  SENTENCES,
} from "../../helpers/project.js";

// The real AWS SDK against the emulator's Lambda API, on both runtime clients: what a
// user's own SDK code sees, timestamps taken as the SDK yields each event.
const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/handlers/${name}`, import.meta.url));
// 200 ms, and a gap may be as short as a quarter of it: beside a second suite, a stall of a
// hundred ms or more held one chunk back and shortened the next gap to 28 ms at 120 ms.
const INTERVAL_MS = 200;
const clients: RuntimeClientName[] = ["ric", "builtin"];
const credentials = { accessKeyId: "local", secretAccessKey: "local" };

interface Seen {
  at: number;
  text?: string;
  complete?: { ErrorCode?: string; ErrorDetails?: string; LogResult?: string };
}

/** Each event with the time (ms since the call) the SDK yielded it. */
async function streamEvents(
  client: LambdaClient,
  input: ConstructorParameters<typeof InvokeWithResponseStreamCommand>[0],
) {
  const started = performance.now();
  const response = await client.send(new InvokeWithResponseStreamCommand(input));
  const seen: Seen[] = [];
  for await (const event of response.EventStream as AsyncIterable<InvokeWithResponseStreamResponseEvent>) {
    const at = performance.now() - started;
    if (event.PayloadChunk?.Payload)
      seen.push({ at, text: Buffer.from(event.PayloadChunk.Payload).toString() });
    if (event.InvokeComplete) seen.push({ at, complete: event.InvokeComplete });
  }
  return {
    response,
    seen,
    chunks: seen.filter((s) => s.text !== undefined),
    complete: seen.at(-1)?.complete,
  };
}

const gaps = (times: number[]) => times.slice(1).map((t, i) => t - (times[i] as number));
const decode = (base64: string | undefined) => Buffer.from(base64 ?? "", "base64").toString("utf8");

describe.each(clients)("the Lambda API with the %s runtime client", (runtime) => {
  let speech: RunningFunction;
  let router: RunningFunction;
  let classic: RunningFunction;
  let single: RunningFunction;
  let api: RunningApi;
  let client: LambdaClient;

  beforeAll(async () => {
    const log = process.env.API_DEBUG ? (line: string) => console.log(`${runtime} ${line}`) : () => {};
    [speech, router, classic, single] = await Promise.all([
      serveFunction({
        name: "stream",
        function: functionNamed("stream", FUNCTIONS),
        invokeMode: "RESPONSE_STREAM",
        env: { [SENTENCE_INTERVAL_ENV]: String(INTERVAL_MS) },
        runtime,
        log,
      }),
      serveFunction({
        name: "router",
        handler: fixture("streaming-router.mjs"),
        invokeMode: "RESPONSE_STREAM",
        timeoutS: 1,
        runtime,
        log,
      }),
      serveFunction({
        name: "classic",
        handler: fixture("buffered-router.mjs"),
        invokeMode: "BUFFERED",
        runtime,
        log,
      }),
      serveFunction({
        name: "single",
        handler: fixture("streaming-router.mjs"),
        invokeMode: "RESPONSE_STREAM",
        maxConcurrency: 1,
        runtime,
        log,
      }),
    ]);
    api = await serveLambdaApi([speech, router, classic, single], { log });
    // No retries: an error status must reach the test as the SDK's named exception.
    client = new LambdaClient({ endpoint: api.endpoint, region: "us-east-1", credentials, maxAttempts: 1 });
  });

  afterAll(async () => {
    client?.destroy();
    await api?.close();
    await Promise.all([speech, router, classic, single].map((fn) => fn?.close()));
  });

  it("lists the functions it serves and describes each", async () => {
    const listed = await client.send(new ListFunctionsCommand({}));
    expect(listed.Functions?.map((fn) => fn.FunctionName)).toEqual(["stream", "router", "classic", "single"]);
    const got = await client.send(new GetFunctionCommand({ FunctionName: "router" }));
    expect(got.Configuration).toMatchObject({
      FunctionName: "router",
      Timeout: 1,
      Handler: "streaming-router.handler",
    });
    expect(got.Configuration?.Runtime).toMatch(/^nodejs\d+\.x$/);
    expect(got.Configuration?.CodeSha256).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    const { $metadata, ...configuration } = await client.send(
      new GetFunctionConfigurationCommand({ FunctionName: "router" }),
    );
    expect($metadata.httpStatusCode).toBe(200);
    expect(configuration).toEqual(got.Configuration);
  });

  it("streams the speech as separate PayloadChunks at the interval, then InvokeComplete", async () => {
    const { response, chunks, complete } = await streamEvents(client, {
      FunctionName: "stream",
      LogType: "Tail",
    });
    expect(response.StatusCode).toBe(200);
    expect(response.ExecutedVersion).toBe("$LATEST");
    expect(response.ResponseStreamContentType).toMatch(/^text\/plain/);
    // Every sentence once, in order, one per chunk: they were not buffered together.
    expect(chunks.map((c) => c.text?.trim())).toEqual([...SENTENCES]);
    const measured = gaps(chunks.map((c) => c.at));
    for (const gap of measured) expect(gap).toBeGreaterThan(INTERVAL_MS * 0.25);
    for (const gap of measured) expect(gap).toBeLessThan(INTERVAL_MS * 2.5);
    // The last sentence came a whole speech after the first: a stream, not one delivery.
    expect((chunks.at(-1)?.at ?? 0) - (chunks[0]?.at ?? 0)).toBeGreaterThan(
      INTERVAL_MS * (SENTENCES.length - 1) * 0.7,
    );
    expect(complete?.ErrorCode).toBeUndefined();
    expect(decode(complete?.LogResult)).toMatch(
      /START RequestId: [\s\S]*END RequestId: [\s\S]*REPORT RequestId: .*Duration/,
    );
    console.log(`[${runtime}] SDK chunk gaps (ms): ${measured.map((g) => Math.round(g)).join(", ")}`);
  });

  it("Invoke returns the whole payload, its log tail, and 202 / 204 for Event and DryRun", async () => {
    const whole = await client.send(new InvokeCommand({ FunctionName: "stream", LogType: "Tail" }));
    expect(whole.StatusCode).toBe(200);
    expect(whole.FunctionError).toBeUndefined();
    expect(
      Buffer.from(whole.Payload ?? [])
        .toString()
        .trim()
        .split("\n"),
    ).toEqual([...SENTENCES]);
    expect(decode(whole.LogResult)).toMatch(/REPORT RequestId:/);
    const logged = await client.send(
      new InvokeCommand({
        FunctionName: "classic",
        LogType: "Tail",
        Payload: JSON.stringify({ rawPath: "/logs", queryStringParameters: { tag: "t" } }),
      }),
    );
    expect(JSON.parse(Buffer.from(logged.Payload ?? []).toString())).toBe("logged");
    expect(decode(logged.LogResult)).toMatch(/log line t 0[\s\S]*error line t/);
    expect(
      (await client.send(new InvokeCommand({ FunctionName: "router", InvocationType: "Event" }))).StatusCode,
    ).toBe(202);
    expect(
      (await client.send(new InvokeCommand({ FunctionName: "router", InvocationType: "DryRun" }))).StatusCode,
    ).toBe(204);
  });

  it("gives a non-streaming handler's result whole, in one PayloadChunk", async () => {
    const payload = JSON.stringify({ rawPath: "/object" });
    const { chunks, complete, response } = await streamEvents(client, {
      FunctionName: "classic",
      Payload: payload,
    });
    expect(chunks.map((c) => JSON.parse(c.text ?? ""))).toEqual([{ hello: "world", list: [1, 2] }]);
    expect(response.ResponseStreamContentType).toBe("application/json");
    expect(complete?.ErrorCode).toBeUndefined();
  });

  it("passes an HttpResponseStream prelude through as bytes, and says so in the content type", async () => {
    const { chunks, response } = await streamEvents(client, {
      FunctionName: "router",
      Payload: JSON.stringify({ rawPath: "/prelude" }),
    });
    expect(response.ResponseStreamContentType).toBe("application/vnd.awslambda.http-integration-response");
    const bytes = chunks.map((c) => c.text).join("");
    expect(bytes).toMatch(/^\{"statusCode":201,.*\}\0{8}x,y\n1,2\n$/s);
  });

  it.each([
    ["/throw-before", "TypeError", /failed before any byte/, []],
    ["/throw-after", "RangeError", /failed mid-stream/, ["one\n", "two\n"]],
    ["/hang", "Sandbox.Timedout", /Task timed out after 1\.00 seconds/, ["start\n"]],
  ])("%s ends the stream with InvokeComplete carrying %s", async (rawPath, code, details, before) => {
    const { chunks, complete } = await streamEvents(client, {
      FunctionName: "router",
      Payload: JSON.stringify({ rawPath }),
    });
    expect(chunks.map((c) => c.text)).toEqual(before);
    expect(complete?.ErrorCode).toBe(code);
    expect(complete?.ErrorDetails).toMatch(details);
    // Invoke reports the same failure as a function error with its JSON body.
    if (rawPath === "/hang") return;
    const invoked = await client.send(
      new InvokeCommand({ FunctionName: "router", Payload: JSON.stringify({ rawPath }) }),
    );
    expect(invoked.FunctionError).toBe("Unhandled");
    expect(JSON.parse(Buffer.from(invoked.Payload ?? []).toString())).toMatchObject({ errorType: code });
  });

  it("answers each error status with AWS's name, parsed by the SDK into its exception", async () => {
    const rejected = async (command: InvokeCommand | InvokeWithResponseStreamCommand) => {
      try {
        await client.send(command as InvokeCommand);
      } catch (error) {
        return error as Error & { $metadata: { httpStatusCode: number } };
      }
      throw new Error("expected the call to fail");
    };
    const missing = await rejected(new InvokeWithResponseStreamCommand({ FunctionName: "nope" }));
    expect([missing.name, missing.$metadata.httpStatusCode]).toEqual(["ResourceNotFoundException", 404]);
    expect(missing.message).toMatch(/Function not found: .*function:nope/);
    const badJson = await rejected(new InvokeCommand({ FunctionName: "router", Payload: "{not json" }));
    expect([badJson.name, badJson.$metadata.httpStatusCode]).toEqual(["InvalidRequestContentException", 400]);
    const tooLarge = await rejected(
      new InvokeWithResponseStreamCommand({
        FunctionName: "router",
        Payload: Buffer.alloc(6 * 1024 * 1024 + 1, 32),
      }),
    );
    expect([tooLarge.name, tooLarge.$metadata.httpStatusCode]).toEqual(["RequestTooLargeException", 413]);
    // An Event invocation's payload: 1 MB since October 2025 (256 KB before), AWS's own words.
    const json = (bytes: number) => JSON.stringify("x".repeat(bytes - 2));
    const asyncTooLarge = await rejected(
      new InvokeCommand({ FunctionName: "router", InvocationType: "Event", Payload: json(1024 * 1024 + 1) }),
    );
    expect([asyncTooLarge.name, asyncTooLarge.$metadata.httpStatusCode]).toEqual([
      "RequestEntityTooLargeException",
      413,
    ]);
    expect(asyncTooLarge.message).toBe(
      "1048577 byte payload is too large for the Event invocation type (limit 1048576 bytes)",
    );
    const asyncFits = await client.send(
      new InvokeCommand({ FunctionName: "router", InvocationType: "Event", Payload: json(1024 * 1024) }),
    );
    expect(asyncFits.StatusCode).toBe(202);
    // One invocation in flight takes the only slot; the next is throttled.
    const busy = streamEvents(client, {
      FunctionName: "single",
      Payload: JSON.stringify({ rawPath: "/ticks", queryStringParameters: { n: "3", ms: "200" } }),
    });
    await new Promise((resolve) => setTimeout(resolve, 150));
    const throttled = await rejected(new InvokeCommand({ FunctionName: "single" }));
    expect([throttled.name, throttled.$metadata.httpStatusCode]).toEqual(["TooManyRequestsException", 429]);
    expect((await busy).chunks).toHaveLength(3);
  });
});

describe("the README's SDK example", () => {
  let speech: RunningFunction;
  let api: RunningApi;

  beforeAll(async () => {
    speech = await serveFunction({
      name: "stream",
      function: functionNamed("stream", FUNCTIONS),
      invokeMode: "RESPONSE_STREAM",
      env: { [SENTENCE_INTERVAL_ENV]: String(INTERVAL_MS) },
      log: () => {},
    });
    api = await serveLambdaApi([speech], { log: () => {} });
  });

  afterAll(async () => {
    await api?.close();
    await speech?.close();
  });

  it(`streams the speech sentence by sentence with only ${ENDPOINT_ENV} pointing it here`, async () => {
    const readme = readFileSync(join(KIT_ROOT, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## The AWS SDK's door"));
    const code = /```js\n([\s\S]*?)```/.exec(section)?.[1] ?? "";
    expect(code).toContain("InvokeWithResponseStreamCommand");
    // Inside the repository, so its import resolves to this project's node_modules.
    const dir = join(FIXTURE_ROOT, "dist", "readme-example");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "example.mjs"), code);
    const child = spawn(process.execPath, [join(dir, "example.mjs")], {
      env: {
        ...process.env,
        [ENDPOINT_ENV]: api.endpoint,
        AWS_REGION: "us-east-1",
        AWS_ACCESS_KEY_ID: "local",
        AWS_SECRET_ACCESS_KEY: "local",
        AWS_SESSION_TOKEN: "",
        AWS_PROFILE: "",
      },
    });
    const arrivals: number[] = [];
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (data) => {
      arrivals.push(performance.now());
      stdout += data;
    });
    child.stderr.on("data", (data) => {
      stderr += data;
    });
    const status = await new Promise((resolve) => child.on("close", resolve));
    expect(status, stderr).toBe(0);
    expect(stdout.trim().split("\n")).toEqual([...SENTENCES]);
    // Printed as it arrived: the output came in many pieces, spread over the speech.
    expect(arrivals.length).toBeGreaterThanOrEqual(SENTENCES.length - 1);
    expect((arrivals.at(-1) ?? 0) - (arrivals[0] ?? 0)).toBeGreaterThan(
      INTERVAL_MS * (SENTENCES.length - 1) * 0.7,
    );
  });
});
