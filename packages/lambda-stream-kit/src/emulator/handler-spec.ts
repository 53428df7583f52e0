import { createHash } from "node:crypto";
import { existsSync, statSync } from "node:fs";
import { basename, dirname, extname, join, resolve } from "node:path";
import { buildSync } from "esbuild";
import { buildBundle, bundleFunction } from "../build.js";
import { UsageError } from "../cli.js";
import type { FunctionSpec } from "../functions.js";
import { projectRoot } from "../paths.js";
import type { LambdaRuntime } from "../runtime.js";
import { compileError } from "./watch.js";

export interface ResolvedHandler {
  /** LAMBDA_TASK_ROOT: the directory Lambda would unpack the code into. */
  taskRoot: string;
  /** Lambda's Handler setting, `module.export`. */
  handler: string;
  /** The file the runtime will load. */
  file: string;
  /** The source files bundled in (watch mode watches them); empty for plain JavaScript. */
  inputs: string[];
  /** For bundles: the bundle's hash. */
  sha256?: string;
}

const TYPESCRIPT = new Set([".ts", ".mts", ".cts"]);
const RUNNABLE = new Set([".js", ".mjs", ".cjs"]);

/**
 * `--handler <file>[#export]` to what the runtime needs. TypeScript is bundled first with
 * the project's own build (as it would be for upload); JavaScript runs as it is.
 */
export function resolveHandler(spec: string): ResolvedHandler {
  const hash = spec.lastIndexOf("#");
  const path = hash === -1 ? spec : spec.slice(0, hash);
  const exportName = hash === -1 ? "handler" : spec.slice(hash + 1);
  if (!/^[A-Za-z_$][\w$]*$/.test(exportName)) {
    throw new UsageError(`--handler ${spec}: "${exportName}" is not an export name (use <file>#<export>)`);
  }
  const file = resolve(path);
  if (existsSync(file) && statSync(file).isDirectory()) {
    throw new UsageError(
      `--handler ${spec}: ${file} is a directory: give the handler's file, e.g. ${join(path, "index.mjs")}#handler`,
    );
  }
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw new UsageError(
      `--handler ${spec}: no such file ${file} (run npm run build, or pass a handler file)`,
    );
  }
  const ext = extname(file);
  if (!TYPESCRIPT.has(ext) && !RUNNABLE.has(ext)) {
    throw new UsageError(
      `--handler ${spec}: expected a .js, .mjs, .cjs or .ts file, got "${ext || "no extension"}"`,
    );
  }
  checkExport(file, exportName, spec);
  if (TYPESCRIPT.has(ext)) {
    const id = createHash("sha256").update(file).digest("hex").slice(0, 12);
    const root = projectRoot();
    const { outfile, inputs } = buildBundle(
      file,
      join(root, "dist/emulator/handlers", id, "index.mjs"),
      undefined,
      root,
    );
    return { taskRoot: dirname(outfile), handler: `index.${exportName}`, file: outfile, inputs };
  }
  return { taskRoot: dirname(file), handler: `${basename(file, ext)}.${exportName}`, file, inputs: [file] };
}

/** A row of the function table, bundled as Pulumi bundles it for upload. */
export function resolveFunctionHandler(
  spec: FunctionSpec,
  runtime: LambdaRuntime,
  root = projectRoot(),
): ResolvedHandler {
  const entry = join(root, spec.entry);
  if (!existsSync(entry)) {
    throw new UsageError(
      `function ${spec.name}: its entry ${spec.entry} does not exist (the function table)`,
    );
  }
  checkExport(entry, spec.export ?? "handler", `${spec.entry} (function ${spec.name})`);
  const { outfile, handler, inputs, sha256 } = bundleFunction(spec, runtime, root);
  return { taskRoot: dirname(outfile), handler, file: outfile, inputs, sha256 };
}

/** Reads an ES module's exports statically (without running its init code) via esbuild. */
function checkExport(file: string, exportName: string, spec: string): void {
  let result: ReturnType<typeof buildSync>;
  try {
    result = buildSync({
      entryPoints: [file],
      bundle: true,
      write: false,
      metafile: true,
      format: "esm",
      platform: "node",
      packages: "external",
      logLevel: "silent",
      outdir: "/nonexistent",
    });
  } catch (error) {
    throw new UsageError(`--handler ${spec}: the file does not compile: ${compileError(error)}`, {
      cause: error,
    });
  }
  const output = Object.values(result.metafile?.outputs ?? {})[0];
  const input = output?.entryPoint ? result.metafile?.inputs[output.entryPoint] : undefined;
  if (input?.format !== "esm" || !output) return; // CommonJS: exports are only known at run time
  if (!output.exports.includes(exportName)) {
    const known = output.exports.length ? output.exports.join(", ") : "nothing";
    throw new UsageError(`--handler ${spec}: export "${exportName}" not found (the module exports ${known})`);
  }
}
