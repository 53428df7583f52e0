// npm start checks every door a row has: its Function URL, its REST API door, and the SDK's
// InvokeWithResponseStream through the local Lambda API.
import { describe, expect, it, vi } from "vitest";
import { runStart } from "../../src/start.js";
import { FUNCTIONS } from "../helpers/project.js";

describe("npm start with a REST API door", () => {
  it("checks three doors for the streaming row (URL, REST API, SDK) and passes", async () => {
    const table = FUNCTIONS.map((spec) =>
      spec.name === "stream" ? { ...spec, restApi: true as const } : spec,
    );
    const lines: string[] = [];
    const spies = [
      vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
        lines.push(args.join(" "));
      }),
      vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
        lines.push(String(chunk));
        return true;
      }),
      vi.spyOn(process.stderr, "write").mockImplementation(() => true),
    ];
    let code: number;
    try {
      code = await runStart(
        { once: true, check: true, port: 0, pagePort: 0, runtime: "builtin", intervalMs: 150 },
        { untilSignal: () => new Promise(() => {}) },
        table,
      );
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    const out = lines.join("\n");
    expect(out).toMatch(/stream·rest\s+REST API\s+http:\/\/127\.0\.0\.1:\d+\/api\//);
    for (const door of ["stream", "stream·rest", "stream·sdk"])
      expect(out).toMatch(
        new RegExp(`${door} \\(http://127\\.0\\.0\\.1:\\d+/[^)]*\\), expecting 10 lines, paced: PASSED`),
      );
    expect(out).toContain("stream check: PASSED");
    expect(code).toBe(0);
  }, 60_000);
});
