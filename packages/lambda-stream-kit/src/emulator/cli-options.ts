import { integer, parseFlags, UsageError } from "../cli.js";
import { INVOKE_MODES, type InvokeMode, MEMORY_MB, TIMEOUT_S } from "../contract.js";
import { LAMBDA_RUNTIMES, type LambdaRuntime } from "../runtime.js";
import { DELIVERY_HELP, parseDelivery } from "./delivery/index.js";
import type { FunctionOptions } from "./emulator.js";
import { RUNTIME_CLIENT_NAMES, type RuntimeClientName } from "./runtime-clients.js";

export const SERVE_USAGE = `usage: lambda-stream-local serve --handler <file>[#export] [--invoke-mode RESPONSE_STREAM|BUFFERED]
       [--port N] [--host 127.0.0.1] [--timeout S] [--memory MB] [--env K=V ...] [--runtime ric|builtin]
       [--lambda-runtime ${LAMBDA_RUNTIMES.join("|")}] [--node PATH] [--aws-limits] [--delivery SHAPE] [--max-concurrency N] [--name NAME] [--api-port N]`;

/**
 * How instances run and answer, shared by `serve` and `start`: the runtime client, the
 * emulated runtime, the node, and how the service delivers the function's writes.
 */
export const RUNTIME_FLAGS = {
  runtime: { type: "string", description: "runtime client: ric or builtin (default: ric where it loads)" },
  "lambda-runtime": { type: "string", description: `the runtime emulated: ${LAMBDA_RUNTIMES.join(" or ")}` },
  node: { type: "string", description: "the node binary instances run on (default: this one)" },
  delivery: { type: "string", default: "prompt", description: DELIVERY_HELP },
} as const;

export function parseEnvPairs(pairs: readonly string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf("=");
    const key = at === -1 ? "" : pair.slice(0, at);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
      throw new UsageError(`--env ${JSON.stringify(pair)}: expected KEY=VALUE with a valid variable name`);
    }
    env[key] = pair.slice(at + 1);
  }
  return env;
}

export function parseRuntime(raw: string | undefined): RuntimeClientName | undefined {
  if (raw === undefined) return undefined;
  if (!RUNTIME_CLIENT_NAMES.includes(raw as RuntimeClientName)) {
    throw new UsageError(
      `--runtime ${JSON.stringify(raw)}: expected one of ${RUNTIME_CLIENT_NAMES.join(", ")}`,
    );
  }
  return raw as RuntimeClientName;
}

export function parseLambdaRuntime(raw: string | undefined): LambdaRuntime | undefined {
  if (raw === undefined) return undefined;
  if (!LAMBDA_RUNTIMES.includes(raw as LambdaRuntime)) {
    throw new UsageError(
      `--lambda-runtime ${JSON.stringify(raw)}: expected one of ${LAMBDA_RUNTIMES.join(", ")}`,
    );
  }
  return raw as LambdaRuntime;
}

/** `serve` flags to function options; every bad value is a UsageError naming the flag. */
export function parseServeArgs(args: string[]): FunctionOptions & { apiPort: number } {
  const values = parseFlags(
    args,
    {
      handler: {
        type: "string",
        description: "<file>[#export]: .mjs/.js/.cjs as is, .ts bundled (required)",
      },
      "invoke-mode": {
        type: "string",
        default: "RESPONSE_STREAM",
        description: "RESPONSE_STREAM or BUFFERED",
      },
      port: { type: "string", default: "0", description: "0 to 65535 (0: any free port)" },
      host: { type: "string", default: "127.0.0.1", description: "an address of this machine" },
      timeout: {
        type: "string",
        default: String(TIMEOUT_S.default),
        description: `seconds, ${TIMEOUT_S.min} to ${TIMEOUT_S.max}`,
      },
      memory: {
        type: "string",
        default: String(MEMORY_MB.default),
        description: `MB, ${MEMORY_MB.min} to ${MEMORY_MB.max}`,
      },
      env: {
        type: "string",
        multiple: true,
        default: [] as string[],
        description: "KEY=VALUE for the function, repeatable",
      },
      ...RUNTIME_FLAGS,
      "aws-limits": {
        type: "boolean",
        default: false,
        description: "enforce the 200 MB stream cap and 2 MiB/s after 6 MiB",
      },
      "max-concurrency": {
        type: "string",
        default: "100",
        description: "invocations in flight, 1 to 1000 (more get 429)",
      },
      name: { type: "string", description: "the function's name (default: the handler file's)" },
      "api-port": {
        type: "string",
        default: "0",
        description: "the Lambda API's port, for AWS_ENDPOINT_URL_LAMBDA (0: any free port)",
      },
    },
    SERVE_USAGE,
  );
  const invokeMode = values["invoke-mode"] as InvokeMode;
  if (!INVOKE_MODES.includes(invokeMode)) {
    throw new UsageError(`--invoke-mode ${JSON.stringify(invokeMode)}: expected RESPONSE_STREAM or BUFFERED`);
  }
  return {
    handler: values.handler,
    invokeMode,
    port: integer("port", values.port, 0, 65535),
    host: values.host,
    timeoutS: integer("timeout", values.timeout, TIMEOUT_S.min, TIMEOUT_S.max),
    memoryMb: integer("memory", values.memory, MEMORY_MB.min, MEMORY_MB.max),
    env: parseEnvPairs(values.env),
    runtime: parseRuntime(values.runtime),
    lambdaRuntime: parseLambdaRuntime(values["lambda-runtime"]),
    ...(values.node ? { nodePath: values.node } : {}),
    awsLimits: values["aws-limits"],
    delivery: parseDelivery(values.delivery),
    maxConcurrency: integer("max-concurrency", values["max-concurrency"], 1, 1000),
    ...(values.name ? { name: values.name } : {}),
    apiPort: integer("api-port", values["api-port"], 0, 65535),
  };
}
