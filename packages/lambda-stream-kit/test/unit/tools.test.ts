import { afterEach, describe, expect, it, vi } from "vitest";
import { toolAvailable } from "../helpers/tools.js";

describe("a test's missing tool", () => {
  const ci = process.env.CI;
  afterEach(() => {
    if (ci === undefined) delete process.env.CI;
    else process.env.CI = ci;
    vi.restoreAllMocks();
  });

  it("skips locally, with one line naming the tool and how to install it", () => {
    delete process.env.CI;
    const lines: string[] = [];
    vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    expect(toolAvailable("Chromium", false, "apt-get install chromium")).toBe(false);
    expect(lines).toEqual([
      "skipping the Chromium tests: Chromium is not installed here: apt-get install chromium (under CI=true its absence fails)\n",
    ]);
  });

  it("fails the run under CI=true", () => {
    process.env.CI = "true";
    expect(() => toolAvailable("the AWS CLI", false, "apt-get install awscli")).toThrow(
      "the AWS CLI is not installed here: apt-get install awscli (CI=true: every test must run)",
    );
  });

  it("says nothing when the tool is there", () => {
    expect(toolAvailable("curl", true, "apt-get install curl")).toBe(true);
  });
});
