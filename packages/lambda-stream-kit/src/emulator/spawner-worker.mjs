// Spawns function instances on a worker thread. child_process.spawn blocks its event loop
// for 10–90 ms per child on a busy machine; on the main thread that stalls every stream
// the front end is relaying, so a burst of cold starts would bunch other clients' writes.
// Plain JS: it runs as a worker under tsx, vitest and plain Node alike.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { parentPort } from "node:worker_threads";

const children = new Map();

parentPort.on("message", (message) => {
  if (message.type === "sync") {
    // Output the child wrote before asking is in its pipes now: let this loop read it (the
    // poll phase that delivered this message), then answer, so every earlier line is sent first.
    setImmediate(() => setImmediate(() => parentPort.postMessage({ type: "synced", id: message.id })));
    return;
  }
  if (message.type === "kill") {
    children.get(message.id)?.kill(message.signal);
    return;
  }
  const { id, command, args, cwd, env } = message;
  const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  children.set(id, child);
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY }).on("line", (line) =>
      parentPort.postMessage({ type: "line", id, line }),
    );
  }
  child.once("spawn", () => parentPort.postMessage({ type: "pid", id, pid: child.pid }));
  child.once("error", (error) => parentPort.postMessage({ type: "error", id, message: error.message }));
  child.once("close", (code, signal) => {
    children.delete(id);
    parentPort.postMessage({ type: "exit", id, code, signal });
  });
});
