// The template's two promises to the person who uses it, proven on copies of this checkout:
// removing the demo is deleting its rows and files (and a new row then works everywhere), and
// renaming the project is one edit (name: in infra/Pulumi.yaml).
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { copyCheckout, inCopy, removeCopy } from "./helpers/copy.js";

const copies: string[] = [];
afterAll(async () => {
  await Promise.all(copies.map(removeCopy));
});

// A user's own function: NDJSON ticks at a pace it reads from its environment.
const TICKER = `import { streamify } from "lambda-stream-kit/handler";

const pause = Number(process.env.TICK_MS ?? "500");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const handler = streamify(async (_event, stream) => {
  stream.setContentType("text/plain");
  for (let tick = 1; tick <= 4; tick++) {
    if (tick > 1) await sleep(pause);
    stream.write(\`tick \${tick}\\n\`);
  }
  await sleep(pause);
  stream.end();
});
`;

const TABLE = `import type { FunctionSpec } from "lambda-stream-kit";

export const FUNCTIONS: readonly FunctionSpec[] = [
  {
    name: "ticker",
    entry: "lambda/ticker.ts",
    invokeMode: "RESPONSE_STREAM",
    interval: { ms: 500, env: "TICK_MS" },
    check: { expect: { lines: { text: ["tick 1", "tick 2", "tick 3", "tick 4"], arrive: "paced" } } },
  },
];
`;

describe("a copy with the demo removed and a row of its own", () => {
  let dir: string;

  it("is made by deleting the demo's rows and files, and adding a row and its handler", async () => {
    dir = await copyCheckout("demo-removed");
    copies.push(dir);
    rmSync(join(dir, "lambda/demo"), { recursive: true });
    rmSync(join(dir, "test/demo"), { recursive: true });
    writeFileSync(join(dir, "lambda/functions.ts"), TABLE);
    writeFileSync(join(dir, "lambda/ticker.ts"), TICKER);
    const left = await inCopy(dir, [
      "git",
      "grep",
      "-l",
      "-i",
      "speech\\|sentence",
      "--",
      "lambda",
      "infra",
      "scripts",
      "test/stack",
      "test/e2e",
    ]);
    expect(left.out.trim(), "files outside the demo that still speak of it").toBe("");
  });

  it("passes the user's tests (handlers, the stack under mocks, every row end to end)", {
    timeout: 180_000,
  }, async () => {
    const run = await inCopy(dir, ["npx", "vitest", "run"]);
    expect(run.code, run.out).toBe(0);
    expect(run.out).toMatch(/every-row\.test\.ts/);
  });

  it("serves and checks its row with npm start -- --once", { timeout: 180_000 }, async () => {
    const run = await inCopy(dir, [
      "npm",
      "start",
      "--silent",
      "--",
      "--once",
      "--port",
      "0",
      "--page-port",
      "0",
    ]);
    expect(run.code, run.out).toBe(0);
    expect(run.out).toMatch(/ticker\s+RESPONSE_STREAM\s+http:\/\/127\.0\.0\.1:\d+\//);
    expect(run.out).toContain("stream check: PASSED");
  });

  it("passes the typecheck and the workflow tests", { timeout: 300_000 }, async () => {
    const types = await inCopy(dir, ["npx", "tsc", "--noEmit", "-p", "tsconfig.json"]);
    expect(types.code, types.out).toBe(0);
    const workflows = await inCopy(dir, [
      "npx",
      "vitest",
      "run",
      "--config",
      "vitest.template.config.ts",
      "test/template/workflows",
    ]);
    expect(workflows.code, workflows.out).toBe(0);
  });
});

describe("a renamed copy", () => {
  it("names everything from infra/Pulumi.yaml alone, and passes the user's suite", {
    timeout: 180_000,
  }, async () => {
    const dir = await copyCheckout("renamed");
    copies.push(dir);
    const file = join(dir, "infra/Pulumi.yaml");
    const yaml = readFileSync(file, "utf8");
    const name = /^name: (.+)$/m.exec(yaml)?.[1] ?? "";
    expect(name).not.toBe("");
    writeFileSync(file, yaml.replace(/^name: .+$/m, "name: orders-feed"));
    // Nothing the user owns spells the old name, tests included.
    const spelled = await inCopy(dir, [
      "git",
      "grep",
      "-l",
      name,
      "--",
      "lambda",
      "infra",
      "scripts",
      "test/demo",
      "test/stack",
      "test/e2e",
    ]);
    expect(spelled.out.trim()).toBe("");
    const run = await inCopy(dir, ["npx", "vitest", "run", "--reporter", "verbose"]);
    expect(run.code, run.out).toBe(0);
    // The stack's names follow: proven under mocks by test/stack, which reads the name as the kit does.
    const names = await inCopy(dir, [
      "node",
      "--import",
      "tsx",
      "-e",
      "import('lambda-stream-kit').then((k) => console.log(k.readProjectName()))",
    ]);
    expect(names.out.trim()).toBe("orders-feed");
  });
});
