// The kit is publishable as it is: `npm pack` makes the tarball npm would publish, a scratch
// project outside the repository installs it (its dependencies from npm's cache where they are
// there), and the bins run from there: `start --once` serves and checks the scratch project's
// own table, `serve` one handler file, and the check reads it with curl.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCommand } from "../helpers/process.js";
import { KIT_ROOT } from "../helpers/project.js";

const scratch = mkdtempSync(join(tmpdir(), "kit-scratch-"));
const bin = (name: string) => join(scratch, "node_modules/.bin", name);
// Outside the repository: nothing may resolve to the workspace's own node_modules.
const env = { LAMBDA_STREAM_KIT_PROJECT: "", npm_config_audit: "false", npm_config_fund: "false" };

const HANDLER = `export const handler = awslambda.streamifyResponse(async (_event, stream) => {
  stream.setContentType("text/plain");
  for (const line of ["one", "two", "three"]) {
    stream.write(line + "\\n");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  stream.end();
});
`;
const TABLE = `import type { FunctionSpec } from "lambda-stream-kit";

export const FUNCTIONS: FunctionSpec[] = [
  {
    name: "lines",
    entry: "handler.mjs",
    invokeMode: "RESPONSE_STREAM",
    interval: { ms: 200, env: "UNUSED_PACE" },
    check: { expect: { lines: { text: ["one", "two", "three"], arrive: "paced" } } },
  },
];
`;

beforeAll(async () => {
  const packed = await runCommand("npm", ["pack", "--pack-destination", scratch, "--silent"], env, KIT_ROOT);
  expect(packed.status, packed.stderr).toBe(0);
  const tarball = readdirSync(scratch).find((f) => f.endsWith(".tgz"));
  if (!tarball) throw new Error(`npm pack wrote no tarball: ${packed.stdout}`);
  writeFileSync(
    join(scratch, "package.json"),
    JSON.stringify({
      name: "scratch",
      private: true,
      type: "module",
      lambdaStreamKit: { functions: "functions.ts" },
    }),
  );
  writeFileSync(join(scratch, "handler.mjs"), HANDLER);
  writeFileSync(join(scratch, "functions.ts"), TABLE);
  mkdirSync(join(scratch, "dist"), { recursive: true });
  const installed = await runCommand(
    "npm",
    ["install", "--prefer-offline", "--ignore-scripts", "--no-package-lock", join(scratch, tarball)],
    env,
    scratch,
  );
  expect(installed.status, installed.stderr).toBe(0);
}, 600_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("the packed kit, installed in a scratch project", () => {
  it("ships its bins, sources and README, and no tests", () => {
    const files = readdirSync(join(scratch, "node_modules/lambda-stream-kit"));
    expect(files.sort()).toEqual(["README.md", "bin", "package.json", "src"]);
  });

  it("serves and checks the project's own table with start --once", async () => {
    const run = await runCommand(
      bin("lambda-stream-local"),
      ["start", "--once", "--port", "0", "--page-port", "0", "--runtime", "builtin"],
      env,
      scratch,
    );
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toMatch(/lines\s+RESPONSE_STREAM\s+http:\/\/127\.0\.0\.1:\d+\//);
    expect(run.stdout).toContain("stream check: PASSED");
  });

  it("serves one handler file, and the check reads it", async () => {
    const child = spawn(
      bin("lambda-stream-local"),
      ["serve", "--handler", "handler.mjs", "--port", "0", "--runtime", "builtin"],
      {
        cwd: scratch,
        env: { ...process.env, ...env },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout.on("data", (data) => {
          out += data;
          const found = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
          if (found?.[1]) resolve(found[1]);
        });
        child.once("exit", (code) => reject(new Error(`serve exited ${code}: ${out}`)));
      });
      const check = await runCommand(
        bin("lambda-stream-check"),
        ["--url", url, "--wait-s", "5"],
        env,
        scratch,
      );
      expect(check.status, `${check.stdout}\n${check.stderr}`).toBe(0);
      expect(check.stdout).toContain("stream check: PASSED");
    } finally {
      child.kill("SIGINT");
    }
  });
});
