import { Worker } from "node:worker_threads";

/** A child process started on the spawner thread, seen from the main thread. */
export interface SpawnedProcess {
  readonly pid: number;
  /** Set once the process has exited; `exit` listeners fire then. */
  exited: boolean;
  kill(signal?: NodeJS.Signals): void;
  onExit(listener: (code: number | null, signal: string | null) => void): void;
}

interface Pending {
  onLine: (line: string) => void;
  resolve: (process: SpawnedProcess) => void;
  reject: (error: Error) => void;
  exitListeners: ((code: number | null, signal: string | null) => void)[];
  handle?: SpawnedProcess;
}

let worker: Worker | undefined;
let nextId = 1;
const processes = new Map<number, Pending>();

type WorkerMessage =
  | { type: "pid"; id: number; pid: number }
  | { type: "line"; id: number; line: string }
  | { type: "error"; id: number; message: string }
  | { type: "exit"; id: number; code: number | null; signal: string | null }
  | { type: "synced"; id: number };

const syncs = new Map<number, () => void>();
let nextSync = 1;

/**
 * Resolves once the spawner thread has read every line the instances wrote before this
 * call: Lambda prints an invocation's END after all it logged, and so must we.
 */
export function syncOutput(): Promise<void> {
  if (!worker) return Promise.resolve();
  const id = nextSync++;
  return new Promise((resolve) => {
    syncs.set(id, resolve);
    worker?.postMessage({ type: "sync", id });
  });
}

function spawner(): Worker {
  if (worker) return worker;
  const created = new Worker(new URL("./spawner-worker.mjs", import.meta.url));
  created.on("message", (message: WorkerMessage) => {
    if (message.type === "synced") {
      syncs.get(message.id)?.();
      syncs.delete(message.id);
      return;
    }
    const entry = processes.get(message.id);
    if (!entry) return;
    if (message.type === "line") entry.onLine(message.line);
    else if (message.type === "pid") {
      const handle: SpawnedProcess = {
        pid: message.pid,
        exited: false,
        kill: (signal = "SIGTERM") => {
          if (!handle.exited) created.postMessage({ type: "kill", id: message.id, signal });
        },
        onExit: (listener) => entry.exitListeners.push(listener),
      };
      entry.handle = handle;
      entry.resolve(handle);
    } else if (message.type === "error") {
      entry.reject(new Error(message.message));
      processes.delete(message.id);
    } else {
      processes.delete(message.id);
      if (entry.handle) entry.handle.exited = true;
      for (const listener of entry.exitListeners) listener(message.code, message.signal);
    }
  });
  // The thread must not keep a finished emulator (or test run) alive.
  created.unref();
  worker = created;
  return created;
}

/** Starts `command` off the main thread; each line it prints goes to `onLine`. */
export function spawnOffThread(
  command: string,
  args: string[],
  options: { cwd: string; env: Record<string, string> },
  onLine: (line: string) => void,
): Promise<SpawnedProcess> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    processes.set(id, { onLine, resolve, reject, exitListeners: [] });
    spawner().postMessage({ type: "spawn", id, command, args, cwd: options.cwd, env: options.env });
  });
}
