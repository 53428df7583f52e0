import { describe, expect, it } from "vitest";
import { DEMO_PAGE_ORIGINS, DEMO_PAGE_PORT, type UrlCors } from "../../../src/contract.js";
import { allowedOrigin, isPreflight, preflightHeaders, responseHeaders } from "../../../src/emulator/cors.js";
import { parseStartArgs } from "../../../src/start.js";
import { FUNCTIONS, functionNamed } from "../../helpers/project.js";

// A Function URL's CORS rules, as the Function URL service applies them.
const page = "http://127.0.0.1:3010";
const cors: UrlCors = {
  allowOrigins: [page],
  allowMethods: ["GET", "POST"],
  allowHeaders: ["content-type", "X-Trace"],
  exposeHeaders: ["x-amzn-RequestId"],
  maxAge: 300,
};

describe("Function URL CORS", () => {
  it("knows a preflight: OPTIONS with an Origin and Access-Control-Request-Method", () => {
    expect(isPreflight("OPTIONS", { origin: page, "access-control-request-method": "GET" })).toBe(true);
    expect(isPreflight("OPTIONS", { origin: page })).toBe(false);
    expect(isPreflight("GET", { origin: page, "access-control-request-method": "GET" })).toBe(false);
  });

  it("allows listed origins only (case-insensitively), and names the origin it allows", () => {
    expect(allowedOrigin(cors, page)).toBe(page);
    expect(allowedOrigin(cors, "HTTP://127.0.0.1:3010")).toBe("HTTP://127.0.0.1:3010");
    expect(allowedOrigin(cors, "http://127.0.0.1:3011")).toBeUndefined();
    expect(allowedOrigin(cors, undefined)).toBeUndefined();
  });

  it("answers `*` for any origin, but the origin itself when credentials are allowed", () => {
    expect(allowedOrigin({ allowOrigins: ["*"] }, "https://a.example")).toBe("*");
    expect(allowedOrigin({ allowOrigins: ["*"], allowCredentials: true }, "https://a.example")).toBe(
      "https://a.example",
    );
  });

  it("answers an allowed preflight with the methods, headers, max age and Vary", () => {
    expect(
      preflightHeaders(cors, {
        origin: page,
        "access-control-request-method": "POST",
        "access-control-request-headers": "Content-Type, x-trace",
      }),
    ).toEqual({
      "access-control-allow-origin": page,
      "access-control-allow-methods": "GET,POST",
      "access-control-allow-headers": "content-type,X-Trace",
      "access-control-max-age": "300",
      vary: "Origin",
    });
  });

  it.each([
    ["another origin", { origin: "https://evil.example", "access-control-request-method": "GET" }],
    ["a method not allowed", { origin: page, "access-control-request-method": "DELETE" }],
    [
      "a header not allowed",
      {
        origin: page,
        "access-control-request-method": "GET",
        "access-control-request-headers": "authorization",
      },
    ],
  ])("gives a preflight for %s no CORS headers (the browser blocks it)", (_, headers) => {
    expect(preflightHeaders(cors, headers)).toEqual({});
  });

  it("adds the origin, exposed headers and credentials to an actual response for allowed origins only", () => {
    expect(responseHeaders(cors, page)).toEqual({
      "access-control-allow-origin": page,
      "access-control-expose-headers": "x-amzn-RequestId",
      vary: "Origin",
    });
    expect(responseHeaders({ ...cors, allowCredentials: true }, page)).toMatchObject({
      "access-control-allow-credentials": "true",
    });
    expect(responseHeaders(cors, "https://evil.example")).toEqual({});
    expect(responseHeaders(cors, undefined)).toEqual({});
  });
});

describe("the fixture's rows and the page", () => {
  it("allow exactly the page's origins, and npm start serves the page there by default", () => {
    for (const name of ["stream", "buffer"]) {
      expect(functionNamed(name, FUNCTIONS).cors?.allowOrigins).toEqual(DEMO_PAGE_ORIGINS);
      for (const origin of DEMO_PAGE_ORIGINS)
        expect(allowedOrigin(functionNamed(name, FUNCTIONS).cors ?? {}, origin)).toBe(origin);
    }
    expect(DEMO_PAGE_ORIGINS.every((origin) => origin.endsWith(`:${DEMO_PAGE_PORT}`))).toBe(true);
    expect(parseStartArgs([], FUNCTIONS).pagePort).toBe(DEMO_PAGE_PORT);
    // --port 0 (any free ports) frees the page's port too, unless it is given.
    expect(parseStartArgs(["--port", "0"], FUNCTIONS).pagePort).toBe(0);
    expect(parseStartArgs(["--port", "0", "--page-port", "3010"], FUNCTIONS).pagePort).toBe(3010);
  });
});
