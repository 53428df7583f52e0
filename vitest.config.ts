import { defineConfig } from "vitest/config";

// Your tests (`npm test`): seconds, not minutes. Tiers follow folders:
// test/stack/: the stack program under Pulumi's mocks (each file its own engine);
// test/e2e/: real processes: every row through the emulator and the stream check;
// anything else in test/: handler tests, in threads.
// test/template/ holds the template's own tests (workflows, bootstrap, the copies):
// `npm run test:template`; the kit's suite is `npm run test:kit`.
export default defineConfig({
  test: {
    maxWorkers: 3,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["test/**/*.test.ts"],
          exclude: ["test/stack/**", "test/e2e/**", "test/template/**"],
          pool: "threads",
          testTimeout: 10_000,
        },
      },
      {
        extends: true,
        test: {
          name: "stack",
          include: ["test/stack/**/*.test.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        // Generous bounds for a shared 2-core machine.
        test: { name: "e2e", include: ["test/e2e/**/*.test.ts"], testTimeout: 60_000, hookTimeout: 60_000 },
      },
    ],
  },
});
