import { EventEmitter } from "node:events";
import { readFileSync } from "node:fs";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { lambdaLogGroup } from "../contract.js";
import { type FunctionError, HEADER } from "./contract.js";
import type { Invocation } from "./invocation.js";
import type { NodeChoice } from "./node-binary.js";
import { runtimeApi } from "./runtime-api.js";
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

/** An instance's log stream, as Lambda names one per execution environment. */
export function logStreamName(instanceId: number): string {
  return `local/[$LATEST]${instanceId}`;
}

interface InstanceEvents {
  idle: [];
  "init-error": [FunctionError];
  exit: [string];
}

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
  private frozen = false;

  constructor(private readonly config: InstanceConfig) {
    super();
    this.server = createServer(
      runtimeApi({
        next: (res) => this.waitForNext(res),
        initError: (error) => {
          this.initFailed = true;
          this.emit("init-error", error);
        },
        current: () => this.current,
      }),
    );
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
      AWS_LAMBDA_LOG_GROUP_NAME: lambdaLogGroup(c.functionName),
      AWS_LAMBDA_LOG_STREAM_NAME: logStreamName(this.id),
      AWS_LAMBDA_RUNTIME_API: `127.0.0.1:${port}`,
      LAMBDA_TASK_ROOT: c.taskRoot,
      LAMBDA_RUNTIME_DIR: c.taskRoot,
      _HANDLER: c.handler,
      ...c.env,
    };
    // Lambda sizes the V8 heap from the memory setting; so do we, so memory bugs show here.
    const heapMb = Math.max(64, Math.floor(c.memoryMb * 0.9));
    const launch = c.client.launch(c.node.path, heapMb);
    const child = await spawnOffThread(
      launch.command,
      launch.args,
      { cwd: c.taskRoot, env: { ...env, ...launch.env } },
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
    this.thaw();
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

  /** GET /invocation/next: the runtime is ready for work (after init, or after the last invocation). */
  private waitForNext(res: ServerResponse): void {
    this.waitingNext = res;
    this.ready = true;
    const previous = this.current;
    if (previous && !previous.isSettled) {
      // The runtime may ask for its next event before its last response has arrived:
      // aws-lambda-ric does not await the end of a stream it fails (failResponseStream), so
      // its GET /next can overtake the POST carrying the error trailers. Hold /next until
      // that response settles the invocation, so the late POST still finds it.
      void previous.finished.then(() => {
        if (this.waitingNext === res) this.becomeIdle();
      });
      return;
    }
    this.becomeIdle();
  }

  private becomeIdle(): void {
    this.current = undefined;
    if (this.state !== "dead") {
      this.state = "idle";
      this.freeze();
      this.emit("idle");
    }
  }

  /**
   * Lambda freezes an execution environment between invocations ("Lambda execution
   * environment lifecycle"): work left running after the response (a forgotten await, a timer)
   * resumes only in the next invocation, or never. The process is stopped while idle and
   * continued when the next invocation is handed to it, so that bug shows here as on AWS.
   * SIGKILL (timeouts, shutdown) ends a stopped process too.
   */
  private freeze(): void {
    if (this.child && !this.child.exited && !this.frozen) {
      this.frozen = true;
      this.child.kill("SIGSTOP");
    }
  }

  private thaw(): void {
    if (this.child && !this.child.exited && this.frozen) {
      this.frozen = false;
      this.child.kill("SIGCONT");
    }
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
}
