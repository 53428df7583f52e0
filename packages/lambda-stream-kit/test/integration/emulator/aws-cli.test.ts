import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type RunningApi,
  type RunningFunction,
  serveFunction,
  serveLambdaApi,
} from "../../../src/emulator/emulator.js";
import { ENDPOINT_ENV } from "../../../src/emulator/lambda-api.js";
import { runCommand } from "../../helpers/process.js";
import { FUNCTIONS, functionNamed, SENTENCE_INTERVAL_ENV, SENTENCES } from "../../helpers/project.js";
import { hasAwsCli } from "../../helpers/tools.js";

// The AWS CLI (botocore: a second client, written apart from the JavaScript SDK) against the
// emulator's Lambda API, with what `npm start` prints. .ci/run installs Debian's awscli
// when the machine has no `aws`.

/**
 * Whether this CLI reads AWS_ENDPOINT_URL_<SERVICE>: from AWS CLI 1.29.0 and 2.13.0
 * (aws/aws-cli CHANGELOG, quoted in localstack/awscli-local#76). Older ones (Debian 12's
 * 2.9.19) take --endpoint-url, which every version honours.
 */
function readsEndpointVariable(versionLine: string): boolean {
  const match = /aws-cli\/(\d+)\.(\d+)/.exec(versionLine);
  if (!match) throw new Error(`not an AWS CLI version line: ${versionLine}`);
  const [major, minor] = [Number(match[1]), Number(match[2])];
  return (major === 1 && minor >= 29) || (major === 2 && minor >= 13) || major > 2;
}

describe.skipIf(!hasAwsCli())("the AWS CLI against the emulator's Lambda API", () => {
  let speech: RunningFunction;
  let api: RunningApi;
  let version = "";
  let dir = "";
  const aws = async (...args: string[]) => {
    const endpoint = readsEndpointVariable(version) ? [] : ["--endpoint-url", api.endpoint];
    return runCommand("aws", [...endpoint, "lambda", ...args, "--output", "json"], {
      [ENDPOINT_ENV]: api.endpoint,
      // v1 reads AWS_DEFAULT_REGION, v2 both; no profile or config file of this machine's.
      AWS_DEFAULT_REGION: "us-east-1",
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "local",
      AWS_SECRET_ACCESS_KEY: "local",
      AWS_CONFIG_FILE: join(dir, "none"),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, "none"),
      AWS_PAGER: "",
    });
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "aws-cli-"));
    const [versionRun, served] = await Promise.all([
      runCommand("aws", ["--version"]),
      serveFunction({
        name: "stream",
        function: functionNamed("stream", FUNCTIONS),
        invokeMode: "RESPONSE_STREAM",
        env: { [SENTENCE_INTERVAL_ENV]: "20" },
        log: () => {},
      }),
    ]);
    if (versionRun.status !== 0)
      throw new Error(`no AWS CLI on PATH (${versionRun.stderr.trim()}): .ci/run installs Debian's awscli`);
    // v1 prints its version on stderr, v2 on stdout.
    version = `${versionRun.stdout}${versionRun.stderr}`.trim();
    speech = served;
    api = await serveLambdaApi([speech], { log: () => {} });
  });

  afterAll(async () => {
    await api?.close();
    await speech?.close();
  });

  it("knows which CLIs read the endpoint variable", () => {
    expect(readsEndpointVariable("aws-cli/2.9.19 Python/3.11.2 Linux/6 source/x86_64.debian.12")).toBe(false);
    expect(readsEndpointVariable("aws-cli/2.13.0 Python/3.11.4")).toBe(true);
    expect(readsEndpointVariable("aws-cli/1.45.11 Python/3.11.7 botocore/1.43.11")).toBe(true);
    expect(readsEndpointVariable("aws-cli/1.28.9 Python/3.11")).toBe(false);
    expect(() => readsEndpointVariable("command not found")).toThrow(/not an AWS CLI version line/);
  });

  it("lists, describes, invokes with a log tail, and names an unknown function's error", async () => {
    const payload = join(dir, "payload.json");
    const out = join(dir, "out.txt");
    writeFileSync(payload, "{}");
    // fileb:// sends the bytes as they are in every CLI version (v2 would base64-decode a literal).
    const [listed, got, invoked, missing] = await Promise.all([
      aws("list-functions"),
      aws("get-function-configuration", "--function-name", "stream"),
      aws(
        "invoke",
        "--function-name",
        "stream",
        "--log-type",
        "Tail",
        "--payload",
        `fileb://${payload}`,
        out,
      ),
      aws("get-function", "--function-name", "gone"),
    ]);
    const context = `(${version})`;
    expect(listed.status, `${context} ${listed.stderr}`).toBe(0);
    expect(
      (JSON.parse(listed.stdout) as { Functions: { FunctionName: string }[] }).Functions.map(
        (fn) => fn.FunctionName,
      ),
    ).toEqual(["stream"]);
    expect(got.status, `${context} ${got.stderr}`).toBe(0);
    expect(JSON.parse(got.stdout)).toMatchObject({ FunctionName: "stream", Handler: "index.handler" });
    expect(invoked.status, `${context} ${invoked.stderr}`).toBe(0);
    const result = JSON.parse(invoked.stdout) as {
      StatusCode: number;
      LogResult: string;
      FunctionError?: string;
    };
    expect(result.StatusCode).toBe(200);
    expect(result.FunctionError).toBeUndefined();
    expect(Buffer.from(result.LogResult, "base64").toString()).toMatch(
      /START RequestId:[\s\S]*REPORT RequestId:/,
    );
    expect(readFileSync(out, "utf8").trim().split("\n")).toEqual([...SENTENCES]);
    // The CLI's own words for a service error, from the x-amzn-ErrorType and JSON body.
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toMatch(
      /An error occurred \(ResourceNotFoundException\) when calling the GetFunction operation: Function not found: arn:aws:lambda:us-east-1:\d{12}:function:gone/,
    );
  });
});
