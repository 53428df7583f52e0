import { FUNCTIONS, type FunctionSpec } from "./project.js";

/** The row a template user adds for the fixture function: the only change a new function needs. */
export const PROGRESS_ROW: FunctionSpec = {
  name: "progress",
  entry: "lambda/progress.ts",
  invokeMode: "RESPONSE_STREAM",
  memoryMb: 256,
  environment: { GREETING: "hello" },
  check: {
    request: { method: "POST", path: "/jobs", headers: { "content-type": "application/json" }, body: "{}" },
    expect: {
      status: 200,
      contentType: "application/x-ndjson",
      body: { jsonLines: true },
      minChunks: 3,
      progressiveMs: 200,
    },
  },
};

/** The table with the user's row added. */
export const WITH_PROGRESS: readonly FunctionSpec[] = [...FUNCTIONS, PROGRESS_ROW];
