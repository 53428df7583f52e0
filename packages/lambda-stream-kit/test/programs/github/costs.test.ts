import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { COST_PREFIX, costDescription, parseCostDescription } from "../../../src/github/costs.js";
import { signedPercent } from "../../../src/stream-check/logs.js";
import { startFakeGitHub } from "../../../src/testing/github-api.js";
import { runScript } from "../../helpers/process.js";

describe("production's cost record", () => {
  it("writes the figures in a deployment status description and reads them back", () => {
    const text = costDescription({ stream: 0.0037512, buffer: 0.0036 });
    expect(text).toBe(`${COST_PREFIX} stream=0.003751 buffer=0.003600`);
    expect(parseCostDescription(text)).toEqual({ stream: 0.003751, buffer: 0.0036 });
    expect(parseCostDescription("Deployment finished successfully.")).toBeUndefined();
  });

  it("keeps within GitHub's 140 characters, dropping the rows that do not fit", () => {
    const many = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`row-${i}`, 0.001 * (i + 1)]));
    const text = costDescription(many);
    expect(text.length).toBeLessThanOrEqual(140);
    expect(Object.keys(parseCostDescription(text) ?? {}).length).toBeGreaterThan(3);
  });

  it("says how a figure moved against the base branch's", () => {
    expect(signedPercent(0.0041, 0.0037)).toBe("+11 %");
    expect(signedPercent(0.0037, 0.0037)).toBe("same");
    expect(signedPercent(0.003, 0.004)).toBe("-25 %");
  });

  it("records on the production job's deployment, then a pull request's check reads the newest", async () => {
    const github = await startFakeGitHub("acme", "streaming");
    try {
      github.deployments.push(
        {
          id: 7,
          environment: "production",
          sha: "aaa",
          statuses: [{ state: "success", description: `${COST_PREFIX} stream=0.002000` }],
        },
        { id: 8, environment: "preview", sha: "bbb", statuses: [] },
        {
          id: 9,
          environment: "production",
          sha: "ccc",
          statuses: [{ state: "in_progress", description: "" }],
        },
      );
      const env = {
        GITHUB_TOKEN: "t",
        GITHUB_REPOSITORY: "acme/streaming",
        GITHUB_API_URL: github.url,
      };
      // Nothing newer yet: the base is deployment 7's.
      const before = await runScript("costs.ts", ["base"], env);
      expect(before.status, before.stderr).toBe(0);
      expect(JSON.parse(before.stdout)).toEqual({ stream: 0.002 });
      const report = join(mkdtempSync(join(tmpdir(), "costs-")), "stream-check.json");
      writeFileSync(
        report,
        JSON.stringify({ verdict: "passed", usdPer1000: { stream: 0.0037, buffer: 0.0036 } }),
      );
      const recorded = await runScript("costs.ts", ["record", "--report", report, "--sha", "ccc"], env);
      expect(recorded.status, recorded.stderr).toBe(0);
      expect(recorded.stdout).toContain("costs: recorded on deployment 9");
      expect(github.deployments[2]?.statuses.at(-1)).toEqual({
        state: "success",
        description: `${COST_PREFIX} stream=0.003700 buffer=0.003600`,
        auto_inactive: false,
      });
      const after = await runScript("costs.ts", ["base"], env);
      expect(JSON.parse(after.stdout)).toEqual({ stream: 0.0037, buffer: 0.0036 });
      // A commit with no deployment: nothing recorded, said in one line, no failure.
      const none = await runScript("costs.ts", ["record", "--report", report, "--sha", "zzz"], env);
      expect(none.status).toBe(0);
      expect(none.stdout.trim()).toBe("costs: no production deployment for zzz: nothing recorded");
    } finally {
      await github.close();
    }
  });

  it("answers {} when nothing was ever recorded, and refuses bad calls in one line", async () => {
    const github = await startFakeGitHub("acme", "streaming");
    try {
      const env = { GITHUB_TOKEN: "t", GITHUB_REPOSITORY: "acme/streaming", GITHUB_API_URL: github.url };
      expect((await runScript("costs.ts", ["base"], env)).stdout.trim()).toBe("{}");
      const bad = await runScript("costs.ts", ["record"], env);
      expect(bad.status).toBe(2);
      expect(bad.stderr.trim()).toBe("costs: record needs --report <the check's --json report>");
      const unknown = await runScript("costs.ts", ["publish"], env);
      expect(unknown.status).toBe(2);
    } finally {
      await github.close();
    }
  });
});
