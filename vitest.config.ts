import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Real processes, sockets and curl: generous bounds for a shared 2-core machine.
    testTimeout: 30_000,
    // One file at a time: the timing tests measure real streams, and a neighbour file
    // spawning 50 function instances would skew their clocks.
    fileParallelism: false,
    hookTimeout: 120_000,
    // GitHub's workflow parser imports JSON without `with { type: "json" }`, which Node (22 and 24 too)
    // rejects; inlining lets Vite load it.
    server: { deps: { inline: ["@actions/workflow-parser"] } },
    reporters: ["default"],
  },
});
