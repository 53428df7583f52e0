import { defineConfig } from "vitest/config";

// The template's own tests (`npm run test:template`): its workflows under GitHub's parser and
// expression evaluator, the bootstrap under mocks and the IAM simulator, the README's
// commands, the layering, and copies of the repository (the demo removed, the project renamed).
export default defineConfig({
  test: {
    include: ["test/template/**/*.test.ts"],
    // GitHub's workflow parser imports JSON without `with { type: "json" }`, which Node rejects;
    // inlining lets Vite load it.
    server: { deps: { inline: ["@actions/workflow-parser"] } },
    maxWorkers: 3,
    testTimeout: 30_000,
    hookTimeout: 600_000,
  },
});
