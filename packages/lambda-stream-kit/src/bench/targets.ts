import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { KIT_ROOT } from "../paths.js";

export type TargetKind = "baseline" | "relay" | "ric" | "builtin";

export interface Target {
  kind: TargetKind;
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * Starts a server in its own process, so its CPU and memory are its own: the baseline
 * (bare node:http running the handler in-process) or the emulator with one runtime client.
 */
export async function startTarget(
  kind: TargetKind,
  handlerFile: string,
  options: { awsLimits?: boolean; env?: Record<string, string> } = {},
): Promise<Target> {
  const args =
    kind === "baseline" || kind === "relay"
      ? [join(KIT_ROOT, `src/bench/${kind}-server.ts`), handlerFile]
      : [
          join(KIT_ROOT, "bin/local.mjs"),
          "serve",
          "--handler",
          handlerFile,
          "--runtime",
          kind,
          "--port",
          "0",
          "--timeout",
          "900",
          "--max-concurrency",
          "200",
          ...(options.awsLimits ? ["--aws-limits"] : []),
          ...Object.entries(options.env ?? {}).flatMap(([k, v]) => ["--env", `${k}=${v}`]),
        ];
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", ...args], {
    cwd: KIT_ROOT,
    stdio: ["ignore", "pipe", "ignore"],
    env: { ...process.env, ...(kind === "baseline" || kind === "relay" ? options.env : {}) },
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (data) => {
      out += data;
      const match = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
      if (match) resolve(match[0]);
    });
    child.once("exit", (code) => reject(new Error(`${kind} server exited (${code}) before it was ready`)));
  });
  return {
    kind,
    url,
    pid: child.pid as number,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** Direct children from /proc (no `ps` spawn: sampling must not stall the client). */
function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").split(" ").map(Number).filter(Boolean);
  } catch {
    return spawnSync("ps", ["-o", "pid=", "--ppid", String(pid)], { encoding: "utf8" })
      .stdout.split("\n")
      .map((line) => Number(line.trim()))
      .filter(Boolean);
  }
}

/** Resident memory of a process and all its descendants (Linux /proc), in bytes. */
export function treeRss(pid: number): number {
  const pids = [pid];
  for (let i = 0; i < pids.length; i++) pids.push(...childrenOf(pids[i] as number));
  let total = 0;
  for (const p of pids) {
    try {
      const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, "utf8"))?.[1];
      total += Number(kb ?? 0) * 1024;
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

export interface Download {
  status: number;
  bytes: number;
  /** Epoch ms (µs precision) of each complete line's arrival, with the line. */
  lines: { at: number; text: string }[];
  /** Epoch ms of the moment each byte count was reached, sampled per chunk. */
  progress: { at: number; bytes: number }[];
  startedAt: number;
  endedAt: number;
}

export const epochMs = () => performance.timeOrigin + performance.now();

/** A plain node:http client that timestamps every chunk (and every line in it). */
export function download(url: string, options: { keepLines?: boolean } = {}): Promise<Download> {
  return new Promise((resolve, reject) => {
    const startedAt = epochMs();
    const req = request(url, (res) => {
      const result: Download = {
        status: res.statusCode ?? 0,
        bytes: 0,
        lines: [],
        progress: [],
        startedAt,
        endedAt: 0,
      };
      let pending = "";
      res.on("data", (chunk: Buffer) => {
        const at = epochMs();
        result.bytes += chunk.length;
        result.progress.push({ at, bytes: result.bytes });
        if (options.keepLines) {
          pending += chunk.toString("latin1");
          const parts = pending.split("\n");
          pending = parts.pop() ?? "";
          for (const text of parts) result.lines.push({ at, text });
        }
      });
      res.on("end", () => {
        result.endedAt = epochMs();
        resolve(result);
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}
