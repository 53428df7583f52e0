import { describe, expect, it, vi } from "vitest";
import { renderSection } from "../../src/github/sections.js";
import { runStart } from "../../src/start.js";
import { WITH_PROGRESS } from "../helpers/extra-function.js";

// The same row, served by npm start and checked there, then reported in the PR comment:
// the only change is the row (and its handler file).
describe("a third function added as one row of the table", () => {
  it("is served by npm start beside the demo, checked by its own expectations, and passes", async () => {
    const lines: string[] = [];
    const log = vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
      lines.push(args.join(" "));
    });
    const write = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    // The functions' own log lines (START, END, REPORT) go to stderr: kept, not printed.
    const logged: string[] = [];
    const errors = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      logged.push(String(chunk));
      return true;
    });
    let code: number;
    try {
      code = await runStart(
        { once: true, check: true, port: 0, pagePort: 0, runtime: "builtin", intervalMs: 100 },
        { untilSignal: () => new Promise(() => {}) },
        WITH_PROGRESS,
      );
    } finally {
      log.mockRestore();
      write.mockRestore();
      errors.mockRestore();
    }
    const out = lines.join("\n");
    expect(logged.join("")).toMatch(/\[progress\] REPORT RequestId: /);
    expect(out).toMatch(/progress\s+RESPONSE_STREAM\s+http:\/\/127\.0\.0\.1:\d+\//);
    expect(out).toMatch(
      /progress \(http:\/\/127\.0\.0\.1:\d+\/\), expecting HTTP 200, application\/x-ndjson, JSON lines, ≥ 3 chunks, progressive ≥ 200 ms: PASSED/,
    );
    expect(out).toMatch(/ok\s+body\s+one JSON value per line\s+4 JSON lines/);
    expect(out).toContain("stream check: PASSED");
    // The other doors npm start opens: the Lambda API for the SDKs, and the demo page.
    expect(out).toMatch(
      /AWS_ENDPOINT_URL_LAMBDA=http:\/\/127\.0\.0\.1:\d+ {2}functions: stream, buffer, progress/,
    );
    expect(out).toMatch(
      /Page \(each URL read by fetch\(\) from its own origin, http:\/\/127\.0\.0\.1:\d+\):\n {2}http:\/\/127\.0\.0\.1:\d+\//,
    );
    expect(code).toBe(0);
  }, 60_000);

  it("is listed in the PR comment's deploy section with its invoke mode", () => {
    const section = renderSection("deploy", {
      footer: "",
      status: "success",
      urls: { stream: "https://s.on.aws/", buffer: "https://b.on.aws/", progress: "https://p.on.aws/" },
      functions: WITH_PROGRESS,
    });
    expect(section).toContain("| progress | Function URL | https://p.on.aws/ | RESPONSE_STREAM |");
  });
});
