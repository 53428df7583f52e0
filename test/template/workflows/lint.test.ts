import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  ALLOWED_ACTIONLINT,
  lintWorkflows,
  runActionlint,
  runWorkflowParser,
  workflowFiles,
} from "../../../packages/lambda-stream-kit/src/workflows/lint.js";

describe("workflow linting", () => {
  it("finds the five workflows", () => {
    expect(workflowFiles().map((file) => basename(file))).toEqual([
      "ci.yml",
      "deploy.yml",
      "drift.yml",
      "janitor.yml",
      "teardown.yml",
    ]);
  });

  it.each(workflowFiles().map((file) => [basename(file), file]))(
    "%s: actionlint finds nothing but the concurrency queue it is too old to know",
    async (_name, file) => {
      const findings = await runActionlint(file);
      expect(findings.filter((f) => !ALLOWED_ACTIONLINT.test(f.message))).toEqual([]);
    },
  );

  // The allowance is for the key, not its value: GitHub's parser (what the service runs)
  // accepts single and max and rejects anything else, so a typo is still caught.
  it.each([
    ["max", 0],
    ["single", 0],
    ["sometimes", 1],
  ])("a concurrency queue of %s gets %i finding(s) in all", async (queue, count) => {
    const file = join(mkdtempSync(join(tmpdir(), "wf-")), "queue.yml");
    writeFileSync(
      file,
      [
        "name: Queue",
        "on: push",
        "permissions: {}",
        "jobs:",
        "  x:",
        "    runs-on: ubuntu-24.04",
        "    concurrency:",
        "      group: g",
        `      queue: ${queue}`,
        "    steps:",
        "      - run: echo ok",
        "",
      ].join("\n"),
    );
    const findings = await lintWorkflows([file]);
    expect(
      findings.map((f) => f.tool),
      JSON.stringify(findings),
    ).toEqual(count ? ["workflow-parser"] : []);
  });

  it.each(workflowFiles().map((file) => [basename(file), file]))(
    "%s: GitHub's workflow parser reports no error",
    async (_name, file) => {
      expect(await runWorkflowParser(file)).toEqual([]);
    },
  );

  it("would catch a broken workflow (both tools are really looking)", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "wf-")), "bad.yml");
    writeFileSync(
      file,
      [
        "name: Bad",
        "on:",
        "  delete:",
        "    branches: [main]",
        "permissions: {}",
        "jobs:",
        "  x:",
        "    runs-on: ubuntu-24.04",
        "    steps:",
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub expression, not a JS template.
        '      - run: echo "${{ github.event.pull_request.title }}"',
        "    unknown-key: 1",
        "",
      ].join("\n"),
    );
    const findings = await lintWorkflows([file]);
    const messages = findings.map((f) => `${f.tool}: ${f.message}`).join("\n");
    expect(messages).toMatch(/actionlint: "branches" filter is not available for delete event/);
    expect(messages).toMatch(/actionlint: "github.event.pull_request.title" is potentially untrusted/);
    expect(messages).toMatch(/workflow-parser: .*Unexpected value 'unknown-key'/);
  });
});
