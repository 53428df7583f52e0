import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

// Three tiers; the parallel two run together first, then the serial one alone, so nothing
// shares the machine's cores with a timing test.
// unit: pure modules (evaluation, mapping, naming, policies, the workflows' YAML), files in
//   parallel, seconds in all (`npm run test:unit`).
// programs: the Pulumi programs under mocks (each file its own engine), and the CLI tests
//   that spawn processes but time nothing, in parallel.
// integration: real processes, sockets and curl, one file at a time, since the timing tests
//   measure real streams and a neighbour spawning 50 function instances would skew them.
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

// Files that mostly wait (a 9 s stream at the real cadence, a benchmark, many short CLI
// runs) start first, so the parallel tiers finish together instead of waiting on them.
const WAITERS = /real-cadence|bench|hostile|lambda-api|browser|teardown|cli-usage/;
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
    // Vitest's default is one worker fewer than the cores: one on a 2-core machine. The
    // parallel tiers use both (their files wait on child processes more than they compute).
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: UNIT,
          pool: "threads",
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
          exclude: [...UNIT, ...PROGRAMS, ...PROCESSES],
          // Generous bounds for a shared 2-core machine.
          testTimeout: 30_000,
          hookTimeout: 120_000,
          sequence: { groupOrder: 0 },
        },
      },
    ],
  },
});
