import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { occupiedPort, send, waitFor } from "../../helpers/http.js";
import { runCommand } from "../../helpers/process.js";
import { commandBin, FIXTURE_ROOT, FUNCTIONS, SENTENCES } from "../../helpers/project.js";

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/handlers/${name}`, import.meta.url));
const local = (...args: string[]) =>
  spawnSync(process.execPath, [commandBin("local.ts"), ...args], {
    cwd: FIXTURE_ROOT,
    encoding: "utf8",
    timeout: 60_000,
  });

describe("local.ts command line", () => {
  it("exits 2 when the port is taken", async () => {
    const { port, release } = await occupiedPort();
    try {
      const run = local("serve", "--port", String(port), "--handler", fixture("streaming-router.mjs"));
      expect(run.status).toBe(2);
      expect(run.stderr).toContain(`port ${port} is already in use`);
    } finally {
      release();
    }
  });

  it("serve prints its URL once ready, serves, and leaves no process behind on Ctrl-C", async () => {
    const child: ChildProcess = spawn(
      process.execPath,
      [commandBin("local.ts"), "serve", "--port", "0", "--handler", fixture("streaming-router.mjs")],
      { cwd: FIXTURE_ROOT, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "";
    child.stdout?.on("data", (d) => {
      stdout += d;
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const url = await waitFor(
      () => /http:\/\/127\.0\.0\.1:\d+\//.exec(stdout)?.[0],
      30_000,
      "the ready line",
    );
    // The startup line names the emulated runtime and the Node it runs on.
    expect(stdout).toMatch(/nodejs24\.x (on Node v24\.\d+\.\d+|emulated on Node \d+\.x)/);
    // And where the AWS SDKs find its Lambda API, with the function's name.
    await waitFor(
      () =>
        /AWS_ENDPOINT_URL_LAMBDA=http:\/\/127\.0\.0\.1:\d+ {2}functions: streaming-router/.exec(stdout)?.[0],
      10_000,
      "the Lambda API line",
    );
    const response = await send(`${url}ticks?n=2&ms=10`);
    expect(response.status).toBe(200);
    // Function instances are node processes running a runtime client (tsx's esbuild
    // service is a child too, and not ours to judge).
    const instances = spawnSync("ps", ["-o", "pid=,args=", "--ppid", String(child.pid)], { encoding: "utf8" })
      .stdout.split("\n")
      .filter((line) => /aws-lambda-ric\/index\.mjs|builtin-runtime\.mjs/.test(line))
      .map((line) => Number(line.trim().split(/\s+/)[0]));
    expect(instances.length).toBeGreaterThan(0);
    child.kill("SIGINT");
    expect(await exited).toBe(0);
    for (const pid of instances) expect(() => process.kill(pid, 0)).toThrow(/ESRCH/);
  });

  it("local start --once (npm start) serves both URLs, checks them and exits with the verdict", () => {
    const run = spawnSync(
      process.execPath,
      [commandBin("local.ts"), "start", "--once", "--port", "0", "--interval-ms", "150"],
      {
        cwd: FIXTURE_ROOT,
        encoding: "utf8",
        timeout: 90_000,
      },
    );
    for (const spec of FUNCTIONS) {
      expect(run.stdout).toMatch(
        new RegExp(`${spec.name}\\s+${spec.invokeMode}\\s+http://127\\.0\\.0\\.1:\\d+/`),
      );
    }
    expect(run.stdout).toMatch(/curl -N http:\/\/127\.0\.0\.1:\d+\//);
    expect(run.stdout).toContain(`#${String(SENTENCES.length).padStart(2)}`);
    expect(run.stdout).toContain("stream check: PASSED");
    // The same cost line a deployed check writes, from the emulator's REPORT lines.
    expect(run.stdout).toContain("Cost of the check's invocations");
    for (const spec of FUNCTIONS) {
      expect(run.stdout).toMatch(
        new RegExp(
          `  ${spec.name}: billed [\\d,]+ ms \\(median of \\d+\\), memory \\d+ of \\d+ MB, \\$[\\d.]+ per 1,000 requests`,
        ),
      );
    }
    expect(run.status).toBe(0);
  }, 120_000);

  // Writes delivered as real Function URLs are reported to: the demo holds under "each write
  // held until the next"; under a 16 KiB threshold a text this small cannot stream, and the
  // check says so with that cause (exit 1), not "set the invoke mode".
  it.each([
    ["next-write", 0, /held until the next write/],
    [
      "size:16KiB",
      1,
      /the writes were held until the end \(the Lambda service is reported to hold writes until ~16 KB/,
    ],
  ])(
    "local start --once (npm start) --delivery %s exits %i, naming the shape",
    async (delivery, status, said) => {
      const run = await runCommand(process.execPath, [
        commandBin("local.ts"),
        "start",
        "--once",
        "--port",
        "0",
        "--interval-ms",
        "150",
        "--delivery",
        delivery,
      ]);
      expect(run.stdout).toMatch(said);
      expect(run.stdout).not.toMatch(/invoke mode to RESPONSE_STREAM/);
      expect(run.stdout).toContain(`stream check: ${status === 0 ? "PASSED" : "FAILED"}`);
      expect(run.status).toBe(status);
    },
    120_000,
  );
});
