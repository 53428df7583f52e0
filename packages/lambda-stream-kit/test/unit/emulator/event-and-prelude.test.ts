import { IncomingMessage } from "node:http";
import { Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { buildFunctionUrlEvent, httpResultFromPayload } from "../../../src/emulator/event.js";
import { PreludeError, parsePrelude, splitPrelude } from "../../../src/emulator/prelude.js";
import { addonLoadReason } from "../../../src/emulator/runtime-clients.js";

function request(method: string, url: string, rawHeaders: string[]): IncomingMessage {
  const req = new IncomingMessage(new Socket());
  req.method = method;
  req.url = url;
  req.httpVersion = "1.1";
  req.rawHeaders = rawHeaders;
  return req;
}

describe("Function URL event (payload format 2.0)", () => {
  it("splits path and query, lower-cases and joins headers, and moves cookies out", () => {
    const event = buildFunctionUrlEvent(
      request("POST", "/a%20b?x=1&x=2&y=", [
        "Host",
        "abc.lambda-url.us-east-1.on.aws",
        "X-Two",
        "1",
        "x-two",
        "2",
        "Cookie",
        "a=1; b=2",
      ]),
      Buffer.from("hi"),
      { urlId: "abc", requestId: "r-1", now: new Date("2026-11-27T12:00:00Z") },
    );
    expect(event).toMatchObject({
      version: "2.0",
      rawPath: "/a%20b",
      rawQueryString: "x=1&x=2&y=",
      headers: { host: "abc.lambda-url.us-east-1.on.aws", "x-two": "1,2" },
      cookies: ["a=1", "b=2"],
      queryStringParameters: { x: "1,2", y: "" },
      requestContext: { http: { method: "POST", path: "/a b" }, requestId: "r-1", domainPrefix: "abc" },
    });
  });
});

describe("buffered result mapping", () => {
  it("takes an object with statusCode as a response, and anything else as a JSON body", () => {
    const described = httpResultFromPayload(
      Buffer.from(
        JSON.stringify({ statusCode: 418, headers: { "X-Tea": "yes" }, cookies: ["c=1"], body: "teapot" }),
      ),
    );
    expect(described).toMatchObject({ statusCode: 418, headers: { "x-tea": "yes" }, cookies: ["c=1"] });
    expect(described.body.toString()).toBe("teapot");
    const plain = httpResultFromPayload(Buffer.from('"words"'));
    expect(plain.headers["content-type"]).toBe("application/json");
    expect(plain.body.toString()).toBe("words");
  });
});

describe("HttpResponseStream prelude", () => {
  it("reads status, lower-cased headers and cookies, defaulting to 200", () => {
    expect(parsePrelude(Buffer.from('{"headers":{"Content-Type":"text/csv"},"cookies":["a=1"]}'))).toEqual({
      statusCode: 200,
      headers: { "content-type": "text/csv" },
      cookies: ["a=1"],
    });
  });

  it("splits a buffered body at the 8 NUL bytes, and names a prelude that is not JSON", () => {
    const body = Buffer.concat([Buffer.from('{"statusCode":201}'), Buffer.alloc(8), Buffer.from("rest")]);
    const { metadata, rest } = splitPrelude(body);
    expect(metadata.statusCode).toBe(201);
    expect(rest.toString()).toBe("rest");
    expect(() => parsePrelude(Buffer.from("not json"))).toThrow(PreludeError);
    expect(() => splitPrelude(Buffer.from("{}"))).toThrow(/no prelude delimiter/);
  });
});

describe("why aws-lambda-ric's addon does not load", () => {
  it("names the Error line and the Node mismatch, not the loader's stack frame", () => {
    const stderr = [
      "node:internal/modules/cjs/loader:1921",
      "  return process.dlopen(module, path.toNamespacedPath(filename));",
      "                 ^",
      "",
      "Error: The module '/x/node_modules/aws-lambda-ric/rapid-client.node'",
      "was compiled against a different Node.js version using",
      "NODE_MODULE_VERSION 115. This version of Node.js requires",
      "NODE_MODULE_VERSION 137. Please try re-compiling or re-installing",
    ].join("\n");
    expect(addonLoadReason(stderr)).toBe(
      "Error: The module '/x/node_modules/aws-lambda-ric/rapid-client.node': built for another Node (module version 115, this Node needs 137); run npm rebuild aws-lambda-ric",
    );
    expect(addonLoadReason("Error: Cannot find module './rapid-client.node'")).toBe(
      "Error: Cannot find module './rapid-client.node'",
    );
  });
});
