import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { buildSync } from "esbuild";
import { projectRoot } from "./paths.js";
import { bundleTarget, DEFAULT_LAMBDA_RUNTIME, type LambdaRuntime } from "./runtime.js";

export interface BundleResult {
  outfile: string;
  bytes: number;
  sha256: string;
  /** esbuild's target, from the runtime. */
  target: string;
  /** Every source file bundled in (absolute paths): what watch mode watches. */
  inputs: string[];
  /** false when the file on disk already had these exact bytes. */
  written: boolean;
}

/**
 * Bundles a handler into one ESM file. The same call serves `npm run build`, the Pulumi
 * program and the local emulator, so what is tested locally is what is uploaded.
 * Deterministic: esbuild's output depends only on the sources, and paths in its comments
 * are relative to the repository root, so no machine-specific path leaks into the asset
 * (a changing asset would make every `pulumi preview` show a phantom diff).
 */
export function buildBundle(
  entry: string,
  outfile: string,
  runtime: LambdaRuntime = DEFAULT_LAMBDA_RUNTIME,
  root = projectRoot(),
): BundleResult {
  const target = bundleTarget(runtime);
  const result = buildSync({
    entryPoints: [entry],
    absWorkingDir: root,
    bundle: true,
    platform: "node",
    format: "esm",
    // The target follows the runtime the bundle is deployed on.
    target,
    // Only Node built-ins stay external (platform "node" already does that); no
    // node_modules may be needed at run time, as none are uploaded.
    packages: "bundle",
    legalComments: "none",
    charset: "utf8",
    write: false,
    outfile,
    metafile: true,
    logLevel: "silent",
  });
  const [output] = result.outputFiles;
  if (!output) throw new Error(`esbuild produced no output for ${relative(root, entry)}`);
  const bytes = Buffer.from(output.contents);
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  let written = true;
  try {
    written = !readFileSync(outfile).equals(bytes);
  } catch {
    // no previous bundle
  }
  if (written) {
    // Write then rename: a process starting from the old file never reads half a bundle.
    mkdirSync(dirname(outfile), { recursive: true });
    const temporary = `${outfile}.${process.pid}.tmp`;
    writeFileSync(temporary, bytes);
    renameSync(temporary, outfile);
  }
  const inputs = Object.keys(result.metafile?.inputs ?? {}).map((input) => join(root, input));
  return { outfile, bytes: bytes.length, sha256, target, inputs, written };
}

/** Where a function row's bundle goes: one per entry file, shared by rows that share it. */
export function functionBundlePath(entry: string, root = projectRoot()): string {
  const slug = entry.replace(/\.[cm]?[jt]s$/, "").replace(/[^A-Za-z0-9]+/g, "-");
  return join(root, "dist/functions", slug, "index.mjs");
}

/** Bundles a row of the function table for its runtime; Lambda's handler setting is `index.<export>`. */
export function bundleFunction(
  spec: { entry: string; export?: string },
  runtime: LambdaRuntime = DEFAULT_LAMBDA_RUNTIME,
  root = projectRoot(),
): BundleResult & { handler: string } {
  const result = buildBundle(join(root, spec.entry), functionBundlePath(spec.entry, root), runtime, root);
  return { ...result, handler: `index.${spec.export ?? "handler"}` };
}

/** One line per bundle, for `npm run build`. */
export function describeBundle(result: BundleResult, root = projectRoot()): string {
  return `${relative(root, result.outfile)}  ${(result.bytes / 1024).toFixed(1)} KiB  sha256:${result.sha256.slice(0, 16)}`;
}
