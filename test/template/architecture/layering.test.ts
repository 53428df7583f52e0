import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../../packages/lambda-stream-kit/src/contract.js";

// Dependencies point one way: lambda/contract.ts imports nothing of the project; lambda/ is
// read by infra/ and scripts/lib/; infra/ and scripts/lib/ never import each other; the
// areas of scripts/lib/ never import each other, except the modules that compose them.
const COMPOSERS = ["scripts/lib/start.ts", "scripts/lib/browser-check.ts", "scripts/lib/bench/"];

function sources(dir: string): string[] {
  return readdirSync(join(REPO_ROOT, dir)).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(join(REPO_ROOT, path)).isDirectory()) return sources(path);
    return /\.(ts|mts)$/.test(entry) && !entry.endsWith(".d.ts") ? [path] : [];
  });
}

/** The project files a module imports (relative specifiers only), as repository paths. */
function projectImports(file: string): string[] {
  const text = readFileSync(join(REPO_ROOT, file), "utf8");
  return [
    ...text.matchAll(
      /(?:^|\n)\s*(?:import|export)[^'"]*?from\s+["'](\.[^"']+)["']|import\(\s*["'](\.[^"']+)["']\s*\)/g,
    ),
  ]
    .map((m) => (m[1] ?? m[2]) as string)
    .map((spec) =>
      relative(REPO_ROOT, resolve(join(REPO_ROOT, dirname(file)), spec)).replace(/\.js$/, ".ts"),
    );
}

const area = (path: string) => /^scripts\/lib\/([^/]+)\//.exec(path)?.[1];

/** Why an import breaks the layering, or undefined when it is allowed. */
function layeringViolation(from: string, to: string): string | undefined {
  if (from === "lambda/contract.ts") return "the contract imports nothing of the project";
  if (from.startsWith("lambda/") && !to.startsWith("lambda/")) return "lambda/ imports only lambda/";
  if (from.startsWith("infra/") && !to.startsWith("infra/") && !to.startsWith("lambda/"))
    return "infra/ imports only infra/ and lambda/";
  if (from.startsWith("scripts/lib/")) {
    if (to.startsWith("infra/")) return "scripts/lib/ never imports infra/";
    if (COMPOSERS.some((c) => from.startsWith(c))) return undefined;
    const own = area(from);
    const theirs = area(to);
    if (theirs && theirs !== own)
      return `scripts/lib/${own ?? "(top)"} imports scripts/lib/${theirs}: compose them in ${COMPOSERS.join(" or ")}`;
  }
  return undefined;
}

describe("layering", () => {
  const files = [...sources("lambda"), ...sources("infra"), ...sources("scripts/lib")];

  it("holds for every import of lambda/, infra/ and scripts/lib/", () => {
    const violations = files.flatMap((from) =>
      projectImports(from).flatMap((to) => {
        const why = layeringViolation(from, to);
        return why ? [`${from} -> ${to}: ${why}`] : [];
      }),
    );
    expect(violations).toEqual([]);
    expect(files.length).toBeGreaterThan(40);
  });

  it("catches a sideways import (the rule itself)", () => {
    expect(layeringViolation("scripts/lib/emulator/start.ts", "scripts/lib/stream-check/run.ts")).toMatch(
      /compose them/,
    );
    expect(layeringViolation("infra/settings.ts", "scripts/lib/pulumi/stack-name.ts")).toMatch(
      /infra\/ imports only/,
    );
    expect(layeringViolation("lambda/contract.ts", "lambda/runtime.ts")).toMatch(/imports nothing/);
    expect(layeringViolation("scripts/lib/start.ts", "scripts/lib/emulator/emulator.ts")).toBeUndefined();
  });
});
