import { spawnSync } from "node:child_process";
import { statSync } from "node:fs";
import { UsageError } from "../cli.js";
import { DEFAULT_LAMBDA_RUNTIME, type LambdaRuntime, runtimeNodeMajor } from "../runtime.js";

/** The Node.js binary function instances run on, and how it relates to the emulated runtime. */
export interface NodeChoice {
  /** The Lambda runtime being emulated (AWS_EXECUTION_ENV says the same to the function). */
  runtime: LambdaRuntime;
  path: string;
  /** `v24.21.0`. */
  version: string;
  /** The binary's major equals the runtime's, as on Lambda. */
  matches: boolean;
  /** One line for the startup output: never silent about a mismatch. */
  summary: string;
}

export function nodeMajor(version: string): number {
  return Number(/^v?(\d+)\./.exec(version)?.[1] ?? Number.NaN);
}

/** `node --version` of another binary, or a UsageError naming the flag. */
export function versionOfNode(path: string): string {
  let isFile = false;
  try {
    isFile = statSync(path).isFile();
  } catch {
    throw new UsageError(`--node ${JSON.stringify(path)}: no such file; give the path of a node binary`);
  }
  if (!isFile) throw new UsageError(`--node ${JSON.stringify(path)}: is a directory, not a node binary`);
  const run = spawnSync(path, ["--version"], { encoding: "utf8", timeout: 10_000 });
  const version = run.stdout?.trim() ?? "";
  if (run.status !== 0 || !/^v\d+\.\d+\.\d+/.test(version)) {
    throw new UsageError(`--node ${JSON.stringify(path)}: '${path} --version' did not print a Node version`);
  }
  return version;
}

/**
 * Which Node runs the instances: `--node <path>` when given, else the Node running the
 * emulator. Either way it is used; when its major is not the runtime's, the summary says
 * "nodejs24.x emulated on Node 22.x" so the difference is never silent.
 */
export function chooseNode(
  options: { runtime?: LambdaRuntime | undefined; nodePath?: string | undefined },
  current: { path: string; version: string } = { path: process.execPath, version: process.version },
  versionOf: (path: string) => string = versionOfNode,
): NodeChoice {
  const runtime = options.runtime ?? DEFAULT_LAMBDA_RUNTIME;
  const path = options.nodePath ?? current.path;
  const version = options.nodePath ? versionOf(options.nodePath) : current.version;
  const major = nodeMajor(version);
  const matches = major === runtimeNodeMajor(runtime);
  const summary = matches ? `${runtime} on Node ${version}` : `${runtime} emulated on Node ${major}.x`;
  return { runtime, path, version, matches, summary };
}
