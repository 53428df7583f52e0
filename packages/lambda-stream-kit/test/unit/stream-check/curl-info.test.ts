import { describe, expect, it } from "vitest";
import { parseCurlInfo, requestArgs } from "../../../src/stream-check/measure.js";

describe("curl's -w '%{json}' output", () => {
  it("reads the status, content type and timings in ms", () => {
    const info = parseCurlInfo(
      '{"http_code":200,"content_type":"text/plain","time_connect":0.001,"time_starttransfer":0.25,"time_total":9.0101,"size_download":1234,"http_version":"1.1"}\n',
      0,
    );
    expect(info).toMatchObject({
      httpCode: 200,
      contentType: "text/plain",
      timeConnectMs: 1,
      timeStartTransferMs: 250,
      timeTotalMs: 9010.1,
      sizeDownload: 1234,
      error: "",
    });
  });

  it("keeps curl's own error message when it shares the JSON's line", () => {
    const info = parseCurlInfo('curl: (7) Failed to connect to 127.0.0.1 port 1{"http_code":0}\n', 7);
    expect(info.httpCode).toBe(0);
    expect(info.error).toBe("curl: (7) Failed to connect to 127.0.0.1 port 1");
  });
});

describe("a row's request as curl arguments", () => {
  it("sends the method, headers and a body through stdin", () => {
    expect(
      requestArgs({ method: "POST", headers: { "content-type": "application/json" }, body: "{}" }),
    ).toEqual(["--request", "POST", "--header", "content-type: application/json", "--data-binary", "@-"]);
    expect(requestArgs(undefined)).toEqual([]);
    expect(requestArgs({ method: "GET" })).toEqual([]);
  });
});
