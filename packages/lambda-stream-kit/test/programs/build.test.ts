import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { buildBundle, bundleFunction, functionBundlePath } from "../../src/build.js";
import { FIXTURE_ROOT, FUNCTIONS, KIT_ROOT } from "../helpers/project.js";

// The fixture project's speech: a handler as a project writes one.
const ENTRY = join(FIXTURE_ROOT, "lambda/index.ts");

const dir = mkdtempSync(join(tmpdir(), "bundle-"));
const first = buildBundle(ENTRY, join(dir, "a/index.mjs"));
const second = buildBundle(ENTRY, join(dir, "b/index.mjs"));
const source = readFileSync(first.outfile, "utf8");

describe(`lambda bundle (${(first.bytes / 1024).toFixed(1)} KiB, sha256 ${first.sha256.slice(0, 12)})`, () => {
  it("is byte-identical across two builds", () => {
    expect(readFileSync(second.outfile).equals(readFileSync(first.outfile))).toBe(true);
    expect(second.sha256).toBe(first.sha256);
  });

  it("holds no absolute path of this machine", () => {
    expect(source).not.toContain(KIT_ROOT);
    expect(source).not.toContain(FIXTURE_ROOT);
    expect(source).not.toContain(tmpdir());
  });

  it("imports nothing but Node built-ins", () => {
    const specifiers = [
      ...source.matchAll(/\bfrom\s+["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']/g),
    ].map((m) => m[1] ?? m[2]);
    expect(specifiers.length).toBeGreaterThan(0);
    for (const specifier of specifiers) {
      expect(builtinModules).toContain(String(specifier).replace(/^node:/, ""));
    }
    expect(source).not.toMatch(/\brequire\(/);
  });

  it("is an ES module exporting a streamified `handler`", () => {
    const probe = `const m = await import(${JSON.stringify(pathToFileURL(first.outfile).href)});
      console.log(JSON.stringify({ keys: Object.keys(m), type: typeof m.handler,
        streaming: m.handler[Symbol.for("aws.lambda.runtime.handler.streaming")] }));`;
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", probe], { encoding: "utf8" });
    expect(JSON.parse(out)).toEqual({ keys: ["handler"], type: "function", streaming: "response" });
  });

  it("fails at init with a clear message when SENTENCE_INTERVAL_MS is invalid", () => {
    const run = spawnSync(
      process.execPath,
      ["--input-type=module", "-e", `await import(${JSON.stringify(pathToFileURL(first.outfile).href)})`],
      { encoding: "utf8", env: { ...process.env, SENTENCE_INTERVAL_MS: "abc" } },
    );
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('SENTENCE_INTERVAL_MS="abc" is invalid');
  });

  it("targets the Node major of the runtime it is built for", () => {
    expect(first.target).toBe("node24");
    const older = buildBundle(ENTRY, join(dir, "c/index.mjs"), "nodejs22.x");
    expect(older.target).toBe("node22");
  });

  it("writes a row's bundle where the Pulumi program and the emulator read it", () => {
    const row = FUNCTIONS[0];
    if (!row) throw new Error("the fixture table has no rows");
    const built = bundleFunction(row, undefined, FIXTURE_ROOT);
    expect(built.outfile).toBe(functionBundlePath(row.entry, FIXTURE_ROOT));
    expect(built.sha256).toBe(first.sha256);
    expect(readFileSync(built.outfile).equals(readFileSync(first.outfile))).toBe(true);
  });
});
