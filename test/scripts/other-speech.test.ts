import { existsSync, lstatSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { $ } from "zx/core";
import { REPO_ROOT } from "../../lambda/contract.js";
import { MIN_SENTENCES, SENTENCES } from "../../lambda/src/speech.js";
import {
  copyCheckout,
  otherSentences,
  removeCopy,
  SPEECH_FILE,
  swapSentences,
} from "../../scripts/lib/other-speech.js";
import { runScript } from "../helpers/process.js";

describe("other-speech.ts", () => {
  it("copies the checkout as it is, links node_modules, and swaps only the copy's sentences", async () => {
    const dir = await copyCheckout(REPO_ROOT);
    try {
      expect(readFileSync(join(dir, "package.json"), "utf8")).toBe(
        readFileSync(join(REPO_ROOT, "package.json"), "utf8"),
      );
      expect(lstatSync(join(dir, "node_modules")).isSymbolicLink()).toBe(true);
      // Ignored files (build output, reports) are not part of the checkout.
      expect(existsSync(join(dir, "dist"))).toBe(false);
      const other = otherSentences(2, SENTENCES);
      await swapSentences(dir, other);
      expect(readFileSync(join(dir, SPEECH_FILE), "utf8")).toContain(JSON.stringify(other[1]));
      expect(readFileSync(join(REPO_ROOT, SPEECH_FILE), "utf8")).not.toContain(JSON.stringify(other[1]));
      // A work tree git knows, every file staged, as a clone's.
      const staged = await $({ cwd: dir, quiet: true })`git ls-files`;
      expect(staged.stdout.split("\n")).toContain("package.json");
      expect(staged.stdout.split("\n")).not.toContain("node_modules");
    } finally {
      await removeCopy(dir);
    }
    expect(existsSync(dir)).toBe(false);
  });

  it("refuses a speech shorter than MIN_SENTENCES in one line, exit 2, before copying anything", async () => {
    const fewer = String(MIN_SENTENCES - 1);
    const run = await runScript("other-speech.ts", ["--sentences", fewer]);
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toMatch(
      new RegExp(
        `^other-speech: --sentences "${fewer}": expected a whole number from ${MIN_SENTENCES} to 60`,
      ),
    );
    expect(run.stdout).toBe("");
  });
});
