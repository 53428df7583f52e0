import { spawn } from "node:child_process";
import { commandBin, FIXTURE_ROOT } from "./project.js";

export interface ScriptRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `scripts/<name>` under tsx without blocking this process: tests that serve HTTP
 * stand-ins from the test process itself must not use spawnSync, or the child would wait
 * on a server that can no longer answer.
 */
export function runScript(
  name: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
  cwd = FIXTURE_ROOT,
): Promise<ScriptRun> {
  return runCommand(process.execPath, [commandBin(name), ...args], env, cwd);
}

/** Any command, the same way (the environment added to this process's). */
export function runCommand(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
  cwd = FIXTURE_ROOT,
): Promise<ScriptRun> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (data) => {
      stdout += data;
    });
    child.stderr.on("data", (data) => {
      stderr += data;
    });
    child.on("error", (error) => resolve({ status: null, stdout, stderr: `${stderr}${error.message}` }));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}
