import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

// Three projects run together, three files at a time on a 2-core machine: most files wait
// (on streams paced at 100-300 ms, on child processes) far more than they compute, so a
// third worker fills the cores the waiting ones leave idle. The browser tests run last, alone.
// unit: pure modules (evaluation, mapping, naming, policies, the workflows' YAML), files in
//   parallel, seconds in all (`npm run test:unit`).
// programs: the Pulumi programs under mocks (each file its own engine), and the CLI tests
//   that spawn processes but time nothing.
// integration: real processes, sockets, curl and Chromium. Their timing assertions are
//   sized for that company: intervals of 150 ms and more where lines must not merge,
//   tolerances near half the interval; the real figures belong in `npm run bench`.
const UNIT = [
  "test/unit/**/*.test.ts",
  "test/infra/naming.test.ts",
  "test/infra/settings.test.ts",
  "test/infra/bootstrap/policies.test.ts",
  "test/infra/bootstrap/iam-evaluator.test.ts",
  "test/infra/bootstrap/repository-ids.test.ts",
  "test/workflows/**/*.test.ts",
  "test/architecture/**/*.test.ts",
  "test/lambda/speech.test.ts",
  "test/lambda/handler.test.ts",
  "test/readme.test.ts",
];
const PROGRAMS = ["test/infra/**/*.test.ts"];
// Real Chromium: its own group, see below.
const BROWSER = ["test/scripts/page/**/*.test.ts"];
// Real processes, but nothing timed: they run in parallel beside the programs.
const PROCESSES = [
  "test/scripts/pulumi/**/*.test.ts",
  "test/scripts/github/**/*.test.ts",
  "test/scripts/emulator/node-choice.test.ts",
  "test/toolchain.test.ts",
  "test/lambda/build.test.ts",
  "test/scripts/cli-usage.test.ts",
  // Timed, but at 1 s ± 300 ms: robust beside untimed work.
  "test/scripts/stream-check/real-cadence.test.ts",
  // A smoke run of every benchmark: it asserts the report's shape, not the figures.
  "test/scripts/bench/**/*.test.ts",
];

// Files that mostly wait (a 9 s stream at the real cadence, a benchmark, paced hostile
// servers, many short CLI runs) start first, so the run ends with short files, not them.
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
    sequence: { sequencer: WaitersFirst },
    // GitHub's workflow parser imports JSON without `with { type: "json" }`, which Node (22 and 24 too)
    // rejects; inlining lets Vite load it.
    server: { deps: { inline: ["@actions/workflow-parser"] } },
    reporters: ["default"],
    // Vitest's default is one worker fewer than the cores: one on a 2-core machine. Three
    // (see above); every project of one group must use the same number.
    maxWorkers: 3,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: UNIT,
          pool: "threads",
          // One module graph per worker, not per file: the tier's imports (YAML, the
          // workflow parser, the IAM simulator) cost more than its tests (11 s of CPU -> 7).
          // So a file that sets a global restores it.
          isolate: false,
          testTimeout: 10_000,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: "programs",
          include: [...PROGRAMS, ...PROCESSES],
          exclude: UNIT,
          testTimeout: 30_000,
          hookTimeout: 60_000,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["test/**/*.test.ts"],
          exclude: [...UNIT, ...PROGRAMS, ...PROCESSES, ...BROWSER],
          // Generous bounds for a shared 2-core machine.
          testTimeout: 30_000,
          hookTimeout: 120_000,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: "browser",
          include: BROWSER,
          // Alone, after the rest: Chromium's own processes take both cores in bursts (a
          // fresh install's first launch most of all), which stalled neighbours' streams
          // by 150 ms and its own reads by 500.
          maxWorkers: 1,
          testTimeout: 30_000,
          hookTimeout: 120_000,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
