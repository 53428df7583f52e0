// The REST API door (a row's restApi): the REST proxy event as API Gateway documents it, the
// metadata relayed as status and headers, the body as it arrives; on both runtime clients.

import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningFunction, serveFunction } from "../../../src/emulator/emulator.js";
import { IdleAndDurationLimit, REST_BAD_GATEWAY } from "../../../src/emulator/rest-api.js";
import { checkUrl, restApiTargetFor } from "../../../src/stream-check/check.js";
import { DEFAULT_CHECK_OPTIONS } from "../../../src/stream-check/run.js";
import { send } from "../../helpers/http.js";
import {
  FUNCTIONS,
  functionNamed,
  SENTENCE_INTERVAL_ENV,
  SPEECH_HANDLER,
  withInterval,
} from "../../helpers/project.js";

// 300 ms, tolerance half: beside two whole suites one gap came 93 ms late at 200 ms ± 90.
const INTERVAL_MS = 300;
const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/handlers/${name}`, import.meta.url));
const door = { stageName: "v1", endpointType: "REGIONAL" as const };

describe.each(["ric", "builtin"] as const)("a REST API door on the %s runtime client", (runtime) => {
  let speech: RunningFunction;
  let echo: RunningFunction;

  beforeAll(async () => {
    [speech, echo] = await Promise.all([
      serveFunction({
        handler: SPEECH_HANDLER,
        name: "stream",
        invokeMode: "RESPONSE_STREAM",
        runtime,
        restApi: door,
        env: { [SENTENCE_INTERVAL_ENV]: String(INTERVAL_MS) },
        log: () => {},
      }),
      serveFunction({
        handler: fixture("rest-echo.mjs"),
        invokeMode: "RESPONSE_STREAM",
        runtime,
        restApi: door,
        log: () => {},
      }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([speech?.close(), echo?.close()]);
  });

  it("serves the stage's path on its own port, and streams the speech sentence by sentence", async () => {
    expect(speech.restApiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\/$/);
    expect(new URL(speech.restApiUrl as string).port).not.toBe(new URL(speech.url).port);
    const row = withInterval(functionNamed("stream", FUNCTIONS), INTERVAL_MS);
    const result = await checkUrl(restApiTargetFor(row, speech.restApiUrl as string), {
      ...DEFAULT_CHECK_OPTIONS,
      toleranceMs: INTERVAL_MS * 0.5,
      waitS: 3,
    });
    expect(result.assertions.filter((a) => !a.passed)).toEqual([]);
    expect(result.final.arrivals).toHaveLength(10);
  });

  it("hands the function the REST proxy event, fields as documented, and relays its metadata", async () => {
    const response = await send(`${echo.restApiUrl}orders/7?a=1&a=2&b=3`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-multi": ["h1", "h2"] },
      body: '{"n":1}',
    });
    expect(response.status).toBe(201);
    expect(response.headers["content-type"]).toBe("application/json");
    expect(response.headers["x-multi"]).toBe("one, two");
    expect(response.headers["set-cookie"]).toEqual(["a=1; Path=/"]);
    const event = JSON.parse(response.body.toString("utf8"));
    expect(event).toMatchObject({
      resource: "/{proxy+}",
      path: "/orders/7",
      httpMethod: "POST",
      pathParameters: { proxy: "orders/7" },
      queryStringParameters: { a: "2", b: "3" },
      multiValueQueryStringParameters: { a: ["1", "2"], b: ["3"] },
      body: '{"n":1}',
      isBase64Encoded: false,
      stageVariables: null,
      requestContext: {
        stage: "v1",
        resourcePath: "/{proxy+}",
        httpMethod: "POST",
        path: "/v1/orders/7",
        identity: { sourceIp: expect.stringMatching(/127\.0\.0\.1/) },
      },
    });
    expect(event.multiValueHeaders["x-multi"]).toEqual(["h1", "h2"]);
    expect(event.requestContext.requestId).toBe(response.headers["x-amzn-requestid"]);
    const root = JSON.parse((await send(echo.restApiUrl as string)).body.toString("utf8"));
    expect(root).toMatchObject({
      resource: "/",
      path: "/",
      pathParameters: null,
      queryStringParameters: null,
    });
  });

  it("answers 502 when the function sends no metadata, and the check names that one cause", async () => {
    const response = await send(`${echo.restApiUrl}plain`);
    expect(response.status).toBe(502);
    expect(response.body.toString("utf8")).toBe(REST_BAD_GATEWAY);
    const result = await checkUrl(
      { label: "plain·rest", url: `${echo.restApiUrl}plain`, expect: {}, restApi: true },
      { ...DEFAULT_CHECK_OPTIONS, waitS: 0 },
    );
    const failed = result.assertions.filter((a) => !a.passed);
    expect(failed).toHaveLength(1);
    expect(failed[0]?.reason).toMatch(
      /^HTTP 502 Bad Gateway from the REST API: .*without the metadata and 8-byte delimiter/,
    );
  });

  it("answers a path outside its stage as API Gateway does", async () => {
    const response = await send(new URL("/other/x", echo.restApiUrl).href);
    expect(response.status).toBe(403);
    expect(response.body.toString("utf8")).toBe('{"message":"Missing Authentication Token"}');
  });
});

describe("API Gateway's idle timeout on a streamed answer (--aws-limits)", () => {
  it("ends a stream that sends nothing for the idle time, and lets a steady one through", async () => {
    const limit = new IdleAndDurationLimit(100, 10_000);
    const failed = new Promise<Error>((resolve) => limit.once("error", resolve));
    limit.write(Buffer.from("a"));
    expect((await failed).message).toMatch(/no byte for 0\.1 s: the REST API's idle timeout/);
    const steady = new IdleAndDurationLimit(200, 10_000);
    const chunks: string[] = [];
    steady.on("data", (chunk) => chunks.push(String(chunk)));
    for (const part of ["a", "b", "c"]) {
      steady.write(Buffer.from(part));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    steady.end();
    expect(chunks.join("")).toBe("abc");
  });
});
