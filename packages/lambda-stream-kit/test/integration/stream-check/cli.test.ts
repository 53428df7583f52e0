import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runScript } from "../../helpers/process.js";
import { SENTENCES } from "../../helpers/project.js";
import { honest, paced, startServer, type TestServer } from "../../helpers/speech-servers.js";

async function checkStream(args: string[], env: NodeJS.ProcessEnv = {}) {
  const { status, stdout, stderr } = await runScript("check-stream.ts", args, {
    GITHUB_STEP_SUMMARY: "",
    ...env,
  });
  return { code: status, stdout, stderr };
}

// The CLI measures in its own process, beside other test files, and the servers run in
// this worker: an interval long enough that a stall (107 ms seen) cannot merge two lines
// or push one out of range. The hostile tests' proportions.
const INTERVAL = 200;
const TOLERANCE = INTERVAL * 0.45;

describe("check-stream.ts", () => {
  let good: TestServer;
  let buffered: TestServer;
  let tooFast: TestServer;
  const dir = mkdtempSync(join(tmpdir(), "check-cli-"));
  const fast = ["--interval-ms", String(INTERVAL), "--tolerance-ms", String(TOLERANCE), "--wait-s", "2"];

  beforeAll(async () => {
    good = await startServer(honest(INTERVAL));
    buffered = await startServer(paced(SENTENCES, (i) => (i === 0 ? INTERVAL * (SENTENCES.length - 1) : 0)));
    tooFast = await startServer(paced(SENTENCES, 20));
  });
  afterAll(async () => {
    await Promise.all([good.close(), buffered.close(), tooFast.close()]);
  });

  it("exits 0 for a good stream, with live progress on stderr (not a terminal) and the verdict on stdout", async () => {
    const run = await checkStream(["--url", good.url, "--function", "stream", ...fast]);
    expect(run.code).toBe(0);
    const last = `#${String(SENTENCES.length).padStart(2)}`;
    expect(run.stderr).toMatch(new RegExp(`stream\\s+${last}\\s+\\d+ ms\\s+\\+\\s*\\d+ ms\\s+█+`));
    expect(run.stdout).toContain("stream check: PASSED");
    expect(run.stdout).not.toContain(last);
  });

  it("checks every URL of the stack's urls output side by side and writes JSON, markdown and the job summary", async () => {
    const json = join(dir, "out/report.json");
    const markdown = join(dir, "out/report.md");
    const summary = join(dir, "summary.md");
    writeFileSync(summary, "# earlier step\n");
    const run = await checkStream(
      [
        "--urls-json",
        JSON.stringify({ stream: good.url, buffer: buffered.url }),
        ...fast,
        "--json",
        json,
        "--markdown",
        markdown,
      ],
      { GITHUB_STEP_SUMMARY: summary },
    );
    expect(run.code).toBe(0);
    const report = JSON.parse(readFileSync(json, "utf8"));
    expect(report.verdict).toBe("passed");
    expect(report.checks.map((c: { label: string }) => c.label)).toEqual(["stream", "buffer"]);
    const [streaming, slow] = report.checks;
    expect(streaming.arrivals).toHaveLength(SENTENCES.length);
    expect(streaming.arrivals[1].gapMs).toBeGreaterThan(50);
    expect(streaming.curl.httpCode).toBe(200);
    expect(streaming.curl.timeTotalMs).toBeGreaterThan(0.8 * (SENTENCES.length - 1) * INTERVAL);
    expect(streaming.assertions.find((a: { id: string }) => a.id === "gaps")).toMatchObject({
      expected: `${INTERVAL} ms ± ${TOLERANCE} ms`,
      passed: true,
    });
    expect(slow.arrivals[0].atMs).toBeGreaterThan(0.8 * (SENTENCES.length - 1) * INTERVAL);
    const md = readFileSync(markdown, "utf8");
    expect(md).toContain("### Stream check: ✅ passed");
    expect(md).toMatch(
      new RegExp(
        `\\| ✅ \\| gap between sentences \\| ${INTERVAL} ms ± ${TOLERANCE} ms \\| \\d+ ms … \\d+ ms \\|`,
      ),
    );
    // One summary line per URL first; the full tables folded below the chart.
    expect(md).toMatch(
      /### Stream check: ✅ passed\n\n✅ stream: \d+\/\d+ lines, gaps \d+–\d+ ms, first byte \d+ ms · ✅ buffer: all at once after \d+\.\d s\n/,
    );
    expect(md.indexOf("```mermaid")).toBeLessThan(md.indexOf("<details>"));
    expect(md).toMatch(/```mermaid\n---\nconfig:\n[\s\S]*plotColorPalette[\s\S]*---\nxychart-beta\n/);
    const n = SENTENCES.length - 1;
    // The buffered bars first, the streamed line after them: drawn on top.
    expect(md).toMatch(new RegExp(` {2}bar \\[\\d+(, \\d+){${n}}\\]\\n {2}line \\[\\d+(, \\d+){${n}}\\]`));
    const appended = readFileSync(summary, "utf8");
    expect(appended.startsWith("# earlier step\n")).toBe(true);
    expect(appended).toContain("xychart-beta");
  });

  it("exits 1 for a bad stream and still writes its reports, naming the cause", async () => {
    const json = join(dir, "fail.json");
    const markdown = join(dir, "fail.md");
    const run = await checkStream([
      "--url",
      tooFast.url,
      "--function",
      "stream",
      ...fast,
      "--json",
      json,
      "--markdown",
      markdown,
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(new RegExp(`✗ every gap is about \\d+ ms, not ${INTERVAL} ms`));
    expect(JSON.parse(readFileSync(json, "utf8")).verdict).toBe("failed");
    expect(readFileSync(markdown, "utf8")).toMatch(
      /### Stream check: ❌ failed[\s\S]*- ❌ every gap is about/,
    );
  });

  it.concurrent("--sigv4 without credentials is a usage error naming the variables", async () => {
    const run = await checkStream(["--url", good.url, "--sigv4", "us-east-1"], {
      AWS_ACCESS_KEY_ID: "",
      AWS_SECRET_ACCESS_KEY: "",
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--sigv4 needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/);
  });

  it("--auth-type AWS_IAM signs for the region in AWS_REGION, as CI sets it", async () => {
    let seen: Record<string, string | string[] | undefined> = {};
    const server = await startServer((req, res) => {
      seen = req.headers;
      return honest(INTERVAL)(req, res, 0);
    });
    try {
      const run = await checkStream(["--url", server.url, ...fast, "--auth-type", "AWS_IAM"], {
        AWS_REGION: "ap-southeast-2",
        AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
        AWS_SECRET_ACCESS_KEY: "secret",
      });
      expect(run.code).toBe(0);
      expect(String(seen.authorization)).toContain("/ap-southeast-2/lambda/aws4_request");
    } finally {
      await server.close();
    }
  });

  it("--auth-types-json signs each row's AWS_IAM URL and leaves its public ones unsigned", async () => {
    const seen: Record<string, string | undefined> = {};
    const stream = await startServer((req, res) => {
      seen.stream = req.headers.authorization;
      return honest(INTERVAL)(req, res, 0);
    });
    const buffer = await startServer((req, res) => {
      seen.buffer = req.headers.authorization ?? "(none)";
      return paced(SENTENCES, (i) => (i === 0 ? INTERVAL * (SENTENCES.length - 1) : 0))(req, res, 0);
    });
    try {
      const run = await checkStream(
        [
          "--urls-json",
          JSON.stringify({ stream: stream.url, buffer: buffer.url }),
          "--auth-types-json",
          '{"stream":"AWS_IAM","buffer":"NONE"}',
          ...fast,
        ],
        { AWS_REGION: "ap-southeast-2", AWS_ACCESS_KEY_ID: "AKIDEXAMPLE", AWS_SECRET_ACCESS_KEY: "secret" },
      );
      expect(run.code, run.stdout).toBe(0);
      expect(seen.stream).toContain("/ap-southeast-2/lambda/aws4_request");
      expect(seen.buffer).toBe("(none)");
    } finally {
      await Promise.all([stream.close(), buffer.close()]);
    }
  });

  it("--sigv4 signs the request with curl's AWS SigV4 and a session token header", async () => {
    let seen: Record<string, string | string[] | undefined> = {};
    const server = await startServer((req, res) => {
      seen = req.headers;
      return honest(INTERVAL)(req, res, 0);
    });
    try {
      const run = await checkStream(["--url", server.url, ...fast, "--sigv4", "eu-west-1"], {
        AWS_ACCESS_KEY_ID: "AKIDEXAMPLE",
        AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        AWS_SESSION_TOKEN: "session-token-example",
      });
      expect(run.code).toBe(0);
      expect(String(seen.authorization)).toMatch(
        /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/lambda\/aws4_request, SignedHeaders=.*, Signature=[0-9a-f]{64}$/,
      );
      expect(seen["x-amz-security-token"]).toBe("session-token-example");
      expect(seen["x-amz-date"]).toMatch(/^\d{8}T\d{6}Z$/);
    } finally {
      await server.close();
    }
  });
});
