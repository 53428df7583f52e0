import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { buildBundle } from "../build.js";
import { UsageError } from "../cli.js";
import { KIT_ROOT, projectRoot } from "../paths.js";

export type RuntimeClientName = "ric" | "builtin";
export const RUNTIME_CLIENT_NAMES: readonly RuntimeClientName[] = ["ric", "builtin"];

/** How to start one function instance: the seam a runtime client of another language would use. */
export interface Launch {
  command: string;
  args: string[];
  /** Added to the Lambda environment the instance gets. */
  env: Record<string, string>;
}

export interface RuntimeClient {
  name: RuntimeClientName;
  /** The script `node` runs for one function instance. */
  entry: string;
  /** Why this client was chosen, for the startup line. */
  reason: string;
  /** The command for one instance on this Node binary, with the V8 heap sized from the memory setting. */
  launch(node: string, heapMb: number): Launch;
}

/** Both clients are Node scripts: node, the heap size Lambda sets, the script. */
function nodeScript(entry: string): (node: string, heapMb: number) => Launch {
  return (node, heapMb) => ({ command: node, args: [`--max-old-space-size=${heapMb}`, entry], env: {} });
}

const require = createRequire(import.meta.url);

const probed = new Map<string, { entry: string } | { error: string }>();

/**
 * aws-lambda-ric, if it is installed and its native addon loads in `node` (the binary the
 * instances run: an addon built for another Node major does not load). Asked once per
 * binary and process: the answer cannot change, and each probe starts a Node process.
 */
export function probeRic(node: string = process.execPath): { entry: string } | { error: string } {
  let result = probed.get(node);
  if (!result) {
    result = probeRicNow(node);
    probed.set(node, result);
  }
  return result;
}

function probeRicNow(node: string): { entry: string } | { error: string } {
  let packageJson: string;
  try {
    packageJson = require.resolve("aws-lambda-ric/package.json");
  } catch {
    return {
      error: "aws-lambda-ric is not installed (it is a devDependency: run npm ci without --omit=dev)",
    };
  }
  const root = dirname(packageJson);
  // The RIC refuses to start without its addon. Load it in a throwaway process: the addon
  // reads AWS_LAMBDA_RUNTIME_API as it loads and aborts the whole process without it.
  const addon = join(root, "rapid-client.node");
  const probe = spawnSync(node, ["-e", `require(${JSON.stringify(addon)})`], {
    env: { PATH: process.env.PATH ?? "", AWS_LAMBDA_RUNTIME_API: "127.0.0.1:9" },
    encoding: "utf8",
    timeout: 10_000,
  });
  if (probe.status !== 0) {
    const reason = addonLoadReason(probe.stderr || probe.error?.message || `exit ${probe.status}`);
    return { error: `aws-lambda-ric's native addon does not load here (${reason})` };
  }
  return { entry: join(root, "index.mjs") };
}

/**
 * The line of Node's output that says why an addon did not load: the `Error:` line (a
 * missing file, or "compiled against a different Node.js version using NODE_MODULE_VERSION
 * 127 ... requires 137"), not the loader's stack frame that comes first.
 */
export function addonLoadReason(stderr: string): string {
  const lines = stderr
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
  const error = lines.find((line) => /^(\w+)?Error\b|\bError:/.test(line)) ?? lines[0] ?? "unknown";
  const abi = /NODE_MODULE_VERSION (\d+)[\s\S]*NODE_MODULE_VERSION (\d+)/.exec(stderr);
  const hint = abi
    ? `: built for another Node (module version ${abi[1]}, this Node needs ${abi[2]}); run npm rebuild aws-lambda-ric`
    : "";
  return `${error.length > 160 ? `${error.slice(0, 160)}…` : error}${hint}`;
}

export const BUILTIN_CLIENT_SOURCE = join(KIT_ROOT, "src/emulator/runtime-client/builtin.ts");

export function builtinClient(reason: string): RuntimeClient {
  const root = projectRoot();
  const { outfile } = buildBundle(
    BUILTIN_CLIENT_SOURCE,
    join(root, "dist/emulator/builtin-runtime.mjs"),
    undefined,
    KIT_ROOT,
  );
  return { name: "builtin", entry: outfile, reason, launch: nodeScript(outfile) };
}

/** The requested client, or by default the RIC when it loads, else the built-in one. */
export function resolveRuntimeClient(
  requested?: RuntimeClientName,
  node: string = process.execPath,
): RuntimeClient {
  if (requested === "builtin") return builtinClient("requested with --runtime builtin");
  const ric = probeRic(node);
  if ("entry" in ric) {
    return {
      name: "ric",
      entry: ric.entry,
      reason: requested ? "requested with --runtime ric" : "AWS's own client loads here",
      launch: nodeScript(ric.entry),
    };
  }
  if (requested === "ric") throw new UsageError(`--runtime ric: ${ric.error}; use --runtime builtin instead`);
  if (!existsSync(BUILTIN_CLIENT_SOURCE))
    throw new Error(`built-in runtime client missing at ${BUILTIN_CLIENT_SOURCE}`);
  return builtinClient(`${ric.error}; using the built-in client`);
}
