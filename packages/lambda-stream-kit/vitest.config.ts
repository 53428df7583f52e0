import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

// The kit's own suite. Tiers follow folders:
// unit: pure modules, files in parallel, seconds in all.
// programs: child processes (the commands, stand-ins for pulumi and GitHub) that time nothing,
//   and the Pulumi component under mocks.
// integration: real processes, sockets and curl; timing assertions sized for a busy 2-core
//   machine (intervals of 150 ms and more where lines must not merge, tolerances near half).
// browser: real Chromium, alone, after the rest; package: npm pack and a scratch install, last.
// Every test runs against the kit's own fixture project (test/fixtures/project), never the
// template's rows: LAMBDA_STREAM_KIT_PROJECT points the kit there, and the children inherit it.
const FIXTURE = fileURLToPath(new URL("test/fixtures/project", import.meta.url));

// Files that mostly wait start first, so the run ends with short files, not them.
const WAITERS = /real-cadence|bench|hostile|lambda-api|teardown|cli-usage/;
class WaitersFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (file: TestSpecification) => (WAITERS.test(file.moduleId) ? 0 : 1);
    return sorted.sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    env: { LAMBDA_STREAM_KIT_PROJECT: FIXTURE },
    sequence: { sequencer: WaitersFirst },
    // GitHub's workflow parser imports JSON without `with { type: "json" }`, which Node rejects;
    // inlining lets Vite load it.
    server: { deps: { inline: ["@actions/workflow-parser"] } },
    // Three workers on 2 cores: most files wait on streams and child processes.
    maxWorkers: 3,
    projects: [
      {
        extends: true,
        test: {
          name: "kit:unit",
          include: ["test/unit/**/*.test.ts"],
          pool: "threads",
          isolate: false,
          testTimeout: 10_000,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: "kit:programs",
          include: ["test/programs/**/*.test.ts"],
          exclude: ["test/programs/pack.test.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: "kit:integration",
          include: ["test/integration/**/*.test.ts"],
          testTimeout: 30_000,
          hookTimeout: 120_000,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: "kit:browser",
          include: ["test/browser/**/*.test.ts"],
          // Alone, after the rest: Chromium's own processes take both cores in bursts.
          maxWorkers: 1,
          testTimeout: 30_000,
          hookTimeout: 120_000,
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: {
          name: "kit:package",
          // npm pack and an install from npm's cache: heavy on disk and CPU, so it runs last,
          // after the timed tiers and Chromium, not beside them.
          include: ["test/programs/pack.test.ts"],
          testTimeout: 120_000,
          hookTimeout: 600_000,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
