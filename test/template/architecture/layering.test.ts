import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../helpers/repo.js";

// Dependencies point one way. The kit (packages/lambda-stream-kit/src) imports nothing of the
// project: not lambda/, infra/, scripts/ or test/. The project's code (lambda/, infra/,
// scripts/, and its tests outside test/template/) reaches the kit only through the package's
// `exports`, never by a path into packages/. Inside the kit, its areas never import each
// other sideways, except the modules that compose them (handler/, the in-function contract,
// is read by all).
const KIT = "packages/lambda-stream-kit";
const COMPOSERS = [
  `${KIT}/src/start.ts`,
  `${KIT}/src/browser-check.ts`,
  `${KIT}/src/bench/`,
  `${KIT}/src/commands/`,
  `${KIT}/src/testing/`,
  `${KIT}/src/stack/`,
];
const kitPackage = JSON.parse(readFileSync(join(REPO_ROOT, KIT, "package.json"), "utf8")) as {
  name: string;
  exports: Record<string, string>;
};

function sources(dir: string, withFixtures = false): string[] {
  return readdirSync(join(REPO_ROOT, dir)).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(join(REPO_ROOT, path)).isDirectory())
      return entry === "fixtures" && !withFixtures ? [] : sources(path, withFixtures);
    return /\.(ts|mts)$/.test(entry) && !entry.endsWith(".d.ts") ? [path] : [];
  });
}

/** Every specifier a module imports (relative ones resolved to repository paths). */
function imports(file: string): { spec: string; path?: string }[] {
  const text = readFileSync(join(REPO_ROOT, file), "utf8");
  return [
    ...text.matchAll(
      /(?:^|\n)\s*(?:import|export)[^'"]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g,
    ),
  ].map((m) => {
    const spec = (m[1] ?? m[2]) as string;
    if (!spec.startsWith(".")) return { spec };
    const path = relative(REPO_ROOT, resolve(join(REPO_ROOT, dirname(file)), spec)).replace(/\.js$/, ".ts");
    return { spec, path };
  });
}

const area = (path: string) => new RegExp(`^${KIT}/src/([^/]+)/`).exec(path)?.[1];

/** Why an import breaks the layering, or undefined when it is allowed. */
function layeringViolation(from: string, to: { spec: string; path?: string }): string | undefined {
  // The kit's tests and fixtures are the kit's: they carry their own project, never the template's.
  if (from.startsWith(`${KIT}/test/`))
    return to.path && !to.path.startsWith(`${KIT}/`)
      ? "the kit's tests import nothing of the project"
      : undefined;
  if (from.startsWith(`${KIT}/src/`)) {
    if (to.path && !to.path.startsWith(`${KIT}/`)) return "the kit imports nothing of the project";
    if (to.spec.startsWith(kitPackage.name)) return "the kit imports itself by relative paths";
    if (!to.path || COMPOSERS.some((c) => from.startsWith(c))) return undefined;
    const own = area(from);
    const theirs = area(to.path);
    // handler/ is what runs inside the function (the markers, the prelude): every area may read it.
    if (theirs && theirs !== own && theirs !== "handler")
      return `${own ?? "(top)"} imports ${theirs}: compose them in ${COMPOSERS.join(" or ")}`;
    return undefined;
  }
  if (to.path?.startsWith("packages/")) return "the project reaches the kit only through its exports";
  if (to.spec === kitPackage.name || to.spec.startsWith(`${kitPackage.name}/`)) {
    const sub = `.${to.spec.slice(kitPackage.name.length)}`;
    const exported = Object.keys(kitPackage.exports).some((key) =>
      key.endsWith("/*") ? sub.startsWith(key.slice(0, -1)) : key === sub,
    );
    if (!exported) return `${to.spec} is not one of the kit's exports`;
  }
  return undefined;
}

describe("layering", () => {
  const kit = [...sources(`${KIT}/src`), ...sources(`${KIT}/test`, true)];
  const project = [
    ...sources("lambda"),
    ...sources("infra"),
    ...sources("scripts"),
    ...sources("test").filter((f) => !f.startsWith("test/template/")),
  ];

  it("holds for every import of the kit and of the project", () => {
    const violations = [...kit, ...project].flatMap((from) =>
      imports(from).flatMap((to) => {
        const why = layeringViolation(from, to);
        return why ? [`${from} -> ${to.spec}: ${why}`] : [];
      }),
    );
    expect(violations).toEqual([]);
    expect(kit.length).toBeGreaterThan(60);
    expect(project.length).toBeGreaterThan(10);
  });

  it("points every export and bin at a file that exists", () => {
    for (const target of Object.values(kitPackage.exports)) {
      if (!target.includes("*")) expect(existsSync(join(REPO_ROOT, KIT, target)), target).toBe(true);
    }
  });

  it("catches what it forbids (the rule itself)", () => {
    expect(
      layeringViolation(`${KIT}/src/emulator/pool.ts`, { spec: "../x", path: "lambda/functions.ts" }),
    ).toMatch(/imports nothing of the project/);
    expect(
      layeringViolation(`${KIT}/src/emulator/pool.ts`, {
        spec: "../x",
        path: `${KIT}/src/stream-check/run.ts`,
      }),
    ).toMatch(/compose them/);
    expect(layeringViolation("infra/index.ts", { spec: "../x", path: `${KIT}/src/stack/deploy.ts` })).toMatch(
      /only through its exports/,
    );
    expect(layeringViolation("infra/index.ts", { spec: "lambda-stream-kit/src/stack/deploy.js" })).toMatch(
      /not one of the kit's exports/,
    );
    expect(layeringViolation("infra/index.ts", { spec: "lambda-stream-kit/stack" })).toBeUndefined();
    expect(
      layeringViolation("scripts/local.ts", { spec: "lambda-stream-kit/commands/local" }),
    ).toBeUndefined();
  });
});
