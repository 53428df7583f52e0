import { EventEmitter } from "node:events";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type FunctionError, HEADER, RUNTIME_API_PREFIX, STREAMING_RESPONSE_MODE } from "./contract.js";
import type { Invocation } from "./invocation.js";
import type { NodeChoice } from "./node-binary.js";
import type { RuntimeClient } from "./runtime-clients.js";
import { type SpawnedProcess, spawnOffThread } from "./spawner.js";

export interface InstanceConfig {
  functionName: string;
  functionArn: string;
  /** Directory holding the handler module (LAMBDA_TASK_ROOT). */
  taskRoot: string;
  /** `module.export`, as Lambda's Handler setting. */
  handler: string;
  memoryMb: number;
  timeoutS: number;
  env: Record<string, string>;
  client: RuntimeClient;
  /** The node binary and the Lambda runtime it stands for. */
  node: NodeChoice;
  /** Receives each line the function process prints. */
  log: (line: string) => void;
}

export type InstanceState = "starting" | "idle" | "busy" | "dead";

interface InstanceEvents {
  idle: [];
  "init-error": [FunctionError];
  exit: [string];
}

const MAX_RUNTIME_API_BODY = 7 * 1024 * 1024;

/**
 * One execution environment: a Node.js process running a runtime client, and the Runtime
 * API server it alone talks to (as in Lambda, each sandbox has its own endpoint). It runs
 * one invocation at a time; the pool decides what it runs next.
 */
export class Instance extends EventEmitter<InstanceEvents> {
  private static nextId = 1;
  readonly id = Instance.nextId++;
  state: InstanceState = "starting";
  /** Set once the runtime asked for its first invocation, i.e. init succeeded. */
  ready = false;
  /** Set when the runtime reported an init error (it exits next). */
  initFailed = false;
  current: Invocation | undefined;
  private readonly server: Server;
  private child: SpawnedProcess | undefined;
  private waitingNext: ServerResponse | undefined;

  constructor(private readonly config: InstanceConfig) {
    super();
    this.server = createServer((req, res) => this.route(req, res));
    this.server.keepAliveTimeout = 0;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Peak resident memory of the function process (Linux), for the REPORT line. */
  maxMemoryUsedMb(): number | undefined {
    if (!this.child?.pid) return undefined;
    try {
      const status = readFileSync(`/proc/${this.child.pid}/status`, "utf8");
      const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
      return kb ? Math.ceil(Number(kb) / 1024) : undefined;
    } catch {
      return undefined;
    }
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(0, "127.0.0.1", () => resolve());
    });
    const { port } = this.server.address() as AddressInfo;
    const c = this.config;
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      LANG: "en_US.UTF-8",
      TZ: ":UTC",
      AWS_REGION: "us-east-1",
      AWS_DEFAULT_REGION: "us-east-1",
      AWS_EXECUTION_ENV: `AWS_Lambda_${c.node.runtime}`,
      AWS_LAMBDA_FUNCTION_NAME: c.functionName,
      AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(c.memoryMb),
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${c.functionName}`,
      AWS_LAMBDA_LOG_STREAM_NAME: `local/[$LATEST]${this.id}`,
      AWS_LAMBDA_RUNTIME_API: `127.0.0.1:${port}`,
      LAMBDA_TASK_ROOT: c.taskRoot,
      LAMBDA_RUNTIME_DIR: c.taskRoot,
      _HANDLER: c.handler,
      ...c.env,
    };
    // Lambda sizes the V8 heap from the memory setting; so do we, so memory bugs show here.
    const heapMb = Math.max(64, Math.floor(c.memoryMb * 0.9));
    const child = await spawnOffThread(
      c.node.path,
      [`--max-old-space-size=${heapMb}`, c.client.entry],
      { cwd: c.taskRoot, env },
      (line) => c.log(line),
    );
    this.child = child;
    child.onExit((code, signal) => {
      this.markDead(`Runtime exited with error: ${signal ? `signal ${signal}` : `exit status ${code}`}`);
    });
    // Shut down while the process was starting: it must not outlive us.
    if (this.state === "dead") child.kill("SIGKILL");
  }

  /** Hands an invocation to this idle instance by answering its pending /next. */
  assign(invocation: Invocation): void {
    const res = this.waitingNext;
    if (this.state !== "idle" || !res) throw new Error(`instance ${this.id} is not idle`);
    this.waitingNext = undefined;
    this.state = "busy";
    this.current = invocation;
    invocation.markStarted();
    const deadlineMs = Date.now() + this.config.timeoutS * 1000;
    res.writeHead(200, {
      "content-type": "application/json",
      [HEADER.requestId]: invocation.requestId,
      [HEADER.deadlineMs]: String(deadlineMs),
      [HEADER.functionArn]: this.config.functionArn,
      [HEADER.traceId]: invocation.traceId,
    });
    res.end(JSON.stringify(invocation.event));
  }

  /** Ends the process (timeouts, crashes, shutdown); the pool replaces it on demand. */
  kill(): void {
    if (this.child && !this.child.exited) this.child.kill("SIGKILL");
    this.markDead("killed");
  }

  /** Resolves once the process has exited and the Runtime API server is closed. */
  async close(): Promise<void> {
    const child = this.child;
    if (child && !child.exited) {
      const exited = new Promise<void>((resolve) => child.onExit(() => resolve()));
      child.kill("SIGKILL");
      await exited;
    }
    this.markDead("shut down");
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private markDead(reason: string): void {
    if (this.state === "dead") return;
    this.state = "dead";
    this.waitingNext?.destroy();
    this.waitingNext = undefined;
    this.server.closeAllConnections();
    this.server.close();
    this.emit("exit", reason);
  }

  private route(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? "").startsWith(RUNTIME_API_PREFIX)
      ? (req.url ?? "").slice(RUNTIME_API_PREFIX.length)
      : "";
    if (req.method === "GET" && path === "/invocation/next") {
      this.waitingNext = res;
      this.current = undefined;
      this.ready = true;
      if (this.state !== "dead") {
        this.state = "idle";
        this.emit("idle");
      }
      return;
    }
    if (req.method === "POST" && path === "/init/error") {
      void readBody(req).then((body) => {
        accepted(res);
        this.initFailed = true;
        this.emit("init-error", parseError(body, req));
      });
      return;
    }
    const match = /^\/invocation\/([^/]+)\/(response|error)$/.exec(path);
    if (req.method !== "POST" || !match) {
      res.writeHead(404, { "content-type": "application/json" }).end('{"errorType":"NotFound"}');
      return;
    }
    const invocation = this.current;
    if (!invocation || decodeURIComponent(match[1] ?? "") !== invocation.requestId || invocation.isSettled) {
      res
        .writeHead(400, { "content-type": "application/json" })
        .end('{"errorMessage":"Invalid request ID","errorType":"InvalidRequestID"}');
      req.resume();
      return;
    }
    if (match[2] === "error") {
      void readBody(req).then((body) => {
        accepted(res);
        invocation.fail(parseError(body, req));
      });
      return;
    }
    if (req.headers[HEADER.responseMode] === STREAMING_RESPONSE_MODE) {
      const contentType = req.headers["content-type"] ?? "application/octet-stream";
      invocation.startStream(contentType, req, () => accepted(res));
      req.on("aborted", () =>
        invocation.fail(runtimeExitError(invocation.requestId, "response stream aborted")),
      );
      return;
    }
    void readBody(req).then((body) => {
      accepted(res);
      invocation.completeWithResult(body);
    });
  }
}

function accepted(res: ServerResponse): void {
  if (!res.headersSent) res.writeHead(202, { "content-type": "application/json" }).end('{"status":"OK"}');
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_RUNTIME_API_BODY) chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", () => resolve(Buffer.concat(chunks)));
  });
}

function parseError(body: Buffer, req: IncomingMessage): FunctionError {
  const headerType = req.headers[HEADER.errorType];
  try {
    const parsed = JSON.parse(body.toString("utf8")) as Partial<FunctionError>;
    return {
      errorType: String(parsed.errorType ?? headerType ?? "Unhandled"),
      errorMessage: String(parsed.errorMessage ?? ""),
      trace: Array.isArray(parsed.trace) ? parsed.trace.map(String) : [],
    };
  } catch {
    return { errorType: String(headerType ?? "Unhandled"), errorMessage: body.toString("utf8") };
  }
}

export function runtimeExitError(requestId: string, detail: string): FunctionError {
  return { errorType: "Runtime.ExitError", errorMessage: `RequestId: ${requestId} Error: ${detail}` };
}
