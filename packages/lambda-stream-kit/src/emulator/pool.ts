import { availableParallelism } from "node:os";
import { type FunctionError, LIMITS } from "./contract.js";
import { Instance, type InstanceConfig, logStreamName } from "./instance.js";
import { Invocation, type InvocationSummary } from "./invocation.js";
import { runtimeExitError } from "./runtime-api.js";
import { syncOutput } from "./spawner.js";

export interface PoolConfig extends Omit<InstanceConfig, "log"> {
  /** Invocations in flight at most (Lambda's reserved concurrency); more get 429. */
  maxConcurrency: number;
  /** Receives the function's own output and the START/END/REPORT lines. */
  log: (line: string) => void;
}

const MAX_STARTING = Math.max(2, availableParallelism());
/** The log events kept per function for the Logs API (the oldest go first). */
const MAX_LOG_EVENTS = 20_000;

/** One line of the function's log group, as CloudWatch Logs stores it. */
export interface LogEvent {
  logStreamName: string;
  /** ms since the epoch. */
  timestamp: number;
  ingestionTime: number;
  message: string;
  eventId: string;
}

export class TooManyRequestsError extends Error {
  constructor(limit: number) {
    super(`Rate Exceeded: ${limit} invocations are already in flight (raise --max-concurrency)`);
    this.name = "TooManyRequestsException";
  }
}

/**
 * The function's execution environments, as Lambda runs them: an invocation goes to a
 * warm idle instance if there is one, else a new instance starts; each instance runs one
 * invocation at a time; an instance that crashes, exits or overruns its timeout is killed
 * and replaced on the next demand.
 */
export class FunctionPool {
  private readonly instances = new Set<Instance>();
  /** Bumped by recycle(): instances of an older generation run the code they started with. */
  private generation = 0;
  private readonly bornIn = new WeakMap<Instance, number>();
  private readonly queue: Invocation[] = [];
  private inFlight = 0;
  private closed = false;
  /** The function's log group: what the emulator's CloudWatch Logs API serves. */
  readonly logEvents: LogEvent[] = [];
  private nextEventId = 0;
  private readonly streamOf = new Map<string, string>();

  constructor(private readonly config: PoolConfig) {
    if (!(config.timeoutS > 0 && config.timeoutS <= LIMITS.maxTimeoutSeconds)) {
      throw new RangeError(`timeout must be 1..${LIMITS.maxTimeoutSeconds} seconds, got ${config.timeoutS}`);
    }
  }

  /** Process ids of the live function instances (tests check none outlive close()). */
  pids(): number[] {
    return [...this.instances].flatMap((instance) => (instance.pid ? [instance.pid] : []));
  }

  get instanceCount(): number {
    return this.instances.size;
  }

  invoke(event: unknown, requestId?: string, traceId?: string): Invocation {
    if (this.closed) throw new Error("the function pool is shut down");
    if (this.inFlight >= this.config.maxConcurrency)
      throw new TooManyRequestsError(this.config.maxConcurrency);
    const invocation = new Invocation(event, requestId, traceId);
    this.inFlight++;
    void invocation.finished.then(async (summary) => {
      this.inFlight--;
      // Everything the function printed during the invocation comes before its END line.
      const memory = [...this.instances]
        .find((i) => i.current?.requestId === summary.requestId)
        ?.maxMemoryUsedMb();
      await syncOutput();
      this.report(invocation, summary, memory);
    });
    this.queue.push(invocation);
    this.dispatch();
    return invocation;
  }

  /**
   * Starts one instance now, as Lambda initialises an execution environment, and resolves
   * once it is ready for work, or with the init error it reported (or its exit reason), so
   * a handler that cannot even load is reported when the emulator starts.
   */
  provision(): Promise<FunctionError | undefined> {
    const instance = this.spawn();
    return new Promise((resolve) => {
      instance.once("idle", () => resolve(undefined));
      instance.once("init-error", (error: FunctionError) => resolve(error));
      instance.once("exit", (reason: string) =>
        resolve({
          errorType: "Runtime.ExitError",
          errorMessage: `the runtime exited during init: ${reason}`,
        }),
      );
    });
  }

  /**
   * New code is on disk (watch mode): invocations in flight finish on the instance that runs
   * them, old code and all; every new invocation gets an instance started from the new code.
   * Idle instances go now; busy and starting ones go the moment they would become idle.
   */
  recycle(): void {
    this.generation++;
    for (const instance of this.instances) if (instance.state === "idle") instance.kill();
  }

  private stale(instance: Instance): boolean {
    return (this.bornIn.get(instance) ?? 0) < this.generation;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const invocation of this.queue.splice(0)) {
      invocation.fail({ errorType: "Emulator.ShutDown", errorMessage: "the emulator is shutting down" });
    }
    await Promise.all([...this.instances].map((instance) => instance.close()));
    this.instances.clear();
  }

  private dispatch(): void {
    if (this.closed) return;
    for (const instance of this.instances) {
      if (this.queue.length === 0) return;
      if (instance.state === "idle" && !this.stale(instance))
        this.run(instance, this.queue.shift() as Invocation);
    }
    // An instance whose invocation has just settled asks for its next one within
    // milliseconds: count it as coming, or a burst of requests arriving as a previous
    // burst ends would start a cold instance for each of them.
    const all = [...this.instances];
    const starting = all.filter((instance) => instance.state === "starting" && !this.stale(instance)).length;
    const coming =
      starting +
      all.filter(
        (instance) => instance.state === "busy" && instance.current?.isSettled && !this.stale(instance),
      ).length;
    // Cold starts are CPU-bound: a few at a time per core, or a burst of them would starve
    // the instances already streaming (Lambda has a machine per sandbox; we have these cores).
    const room = Math.max(0, MAX_STARTING - starting);
    for (let i = 0; i < Math.min(this.queue.length - coming, room); i++) this.spawn();
  }

  private run(instance: Instance, invocation: Invocation): void {
    this.streamOf.set(invocation.requestId, logStreamName(instance.id));
    this.logFor(invocation, `START RequestId: ${invocation.requestId} Version: $LATEST`);
    instance.assign(invocation);
    const timer = setTimeout(() => {
      if (invocation.isSettled) return;
      this.logFor(
        invocation,
        `${new Date().toISOString()} ${invocation.requestId} Task timed out after ${this.config.timeoutS.toFixed(2)} seconds`,
      );
      invocation.fail({
        errorType: "Sandbox.Timedout",
        errorMessage: `RequestId: ${invocation.requestId} Error: Task timed out after ${this.config.timeoutS.toFixed(2)} seconds`,
      });
      instance.kill();
    }, this.config.timeoutS * 1000);
    void invocation.finished.then(() => clearTimeout(timer));
  }

  private spawn(): Instance {
    // The function's own lines also go to the invocation it is running (the log tail).
    const instance: Instance = new Instance({
      ...this.config,
      log: (line) => {
        instance.current?.log(line);
        this.record(logStreamName(instance.id), line);
        this.config.log(line);
      },
    });
    this.instances.add(instance);
    this.bornIn.set(instance, this.generation);
    instance.on("idle", () => {
      // Its invocation is done: an instance of older code retires instead of taking another.
      if (this.stale(instance)) instance.kill();
      else this.dispatch();
    });
    instance.on("init-error", (error: FunctionError) => {
      // The invocation that made this instance start gets the init error, as on AWS.
      const waiting = this.queue.shift();
      this.config.log(`INIT_REPORT Status: error Error Type: ${error.errorType}`);
      waiting?.fail(error);
    });
    instance.on("exit", (reason: string) => {
      this.instances.delete(instance);
      const running = instance.current;
      if (running && !running.isSettled) {
        this.logFor(running, `${new Date().toISOString()} ${running.requestId} Error: ${reason}`);
        running.fail(runtimeExitError(running.requestId, reason));
      } else if (!instance.ready && !instance.initFailed && !this.closed) {
        // Died during init without saying why: fail the invocation it was started for, or
        // a broken runtime would be respawned forever.
        const waiting = this.queue.shift();
        if (waiting) {
          this.config.log(`INIT_REPORT Status: error Error Type: Runtime.ExitError (${reason})`);
          waiting.fail(runtimeExitError(waiting.requestId, reason));
        }
      }
      this.dispatch();
    });
    instance.start().catch((error: Error) => {
      this.instances.delete(instance);
      this.queue.shift()?.fail({ errorType: "Emulator.StartError", errorMessage: error.message });
    });
    return instance;
  }

  private logFor(invocation: Invocation, line: string): void {
    invocation.log(line);
    this.record(this.streamOf.get(invocation.requestId) ?? logStreamName(0), line);
    this.config.log(line);
  }

  private record(stream: string, message: string): void {
    const now = Date.now();
    this.logEvents.push({
      logStreamName: stream,
      timestamp: now,
      ingestionTime: now,
      message,
      eventId: String(this.nextEventId++).padStart(20, "0"),
    });
    // Trimmed in batches: one splice per line at the cap would copy the whole array each time.
    if (this.logEvents.length > MAX_LOG_EVENTS + MAX_LOG_EVENTS / 10) {
      this.logEvents.splice(0, this.logEvents.length - MAX_LOG_EVENTS);
    }
  }

  private report(invocation: Invocation, summary: InvocationSummary, memory: number | undefined): void {
    const fields = [
      `REPORT RequestId: ${summary.requestId}`,
      `Duration: ${summary.durationMs.toFixed(2)} ms`,
      `Billed Duration: ${Math.max(1, Math.ceil(summary.durationMs))} ms`,
      `Memory Size: ${this.config.memoryMb} MB`,
      ...(memory ? [`Max Memory Used: ${memory} MB`] : []),
      `Bytes: ${summary.bytes}`,
      ...(summary.error ? [`Status: error\tError Type: ${summary.error.errorType}`] : []),
    ];
    this.logFor(invocation, `END RequestId: ${summary.requestId}`);
    this.logFor(invocation, fields.join("\t"));
    this.streamOf.delete(summary.requestId);
    invocation.markReported();
  }
}
