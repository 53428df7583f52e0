import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { serveFunction, serveLambdaApi } from "../../../src/emulator/emulator.js";
import { DEFAULT_CHECK_OPTIONS, runCheck } from "../../../src/stream-check/run.js";

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/handlers/${name}`, import.meta.url));

// #24's "done when": a row whose check fails shows that invocation's own log lines, fetched
// through the emulator's CloudWatch Logs API by the code the deploy workflow runs (--logs).
describe("a failing check's own log lines, through the Logs API", () => {
  it("puts the failing request's lines (redacted) and the row's cost in the markdown, and keeps the verdict", async () => {
    const fn = await serveFunction({
      handler: fixture("fails-after-logging.mjs"),
      invokeMode: "RESPONSE_STREAM",
      name: "fails",
      log: () => {},
    });
    const api = await serveLambdaApi([fn], { log: () => {} });
    const markdownFile = join(mkdtempSync(join(tmpdir(), "logs-")), "check.md");
    const out: string[] = [];
    try {
      const { code, results } = await runCheck(
        {
          targets: [
            {
              label: "fails",
              url: fn.url,
              expect: { contentType: "text/plain" },
              invokeMode: "RESPONSE_STREAM",
            },
          ],
          options: { ...DEFAULT_CHECK_OPTIONS, waitS: 3 },
          markdownFile,
          logs: {
            functionNames: { fails: "fails" },
            region: "eu-west-1",
            endpoint: api.endpoint,
            credentials: { accessKeyId: "local", secretAccessKey: "local" },
            architecture: "arm64",
            timeoutMs: 5000,
            intervalMs: 100,
            // The base branch's figure (what scripts/costs.ts base reads), shown beside.
            base: { fails: 0.0001 },
          },
        },
        { progress: () => {}, out: (text) => out.push(text), env: {}, columns: 100 },
      );
      // The verdict is the check's own: the body was cut short.
      expect(code).toBe(1);
      const requestId = results[0]?.final.curl.requestId ?? "";
      expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
      const markdown = readFileSync(markdownFile, "utf8");
      expect(markdown).toContain(`Log lines of request <code>${requestId}</code>`);
      expect(markdown).toContain(`START RequestId: ${requestId} Version: $LATEST`);
      expect(markdown).toContain("the database went away mid-stream");
      expect(markdown).toMatch(new RegExp(`REPORT RequestId: ${requestId}\\t`));
      expect(markdown).toContain(
        "(https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#logsV2:log-groups/log-group/$252Faws$252Flambda$252Ffails)",
      );
      // Redacted before it is posted.
      expect(markdown).not.toContain("AKIAABCDEFGHIJKLMNOP");
      expect(markdown).not.toContain("hunter22");
      expect(markdown).toContain("[redacted access key id]");
      expect(markdown).toMatch(
        /- fails: billed [\d,]+ ms \(median of 1\).*; base branch \$0\.0001 \([+-]\d+ %\)/,
      );
      expect(out.join("\n")).toContain("fails: log lines of request");
    } finally {
      await api.close();
      await fn.close();
    }
  });
});
