import { copyFile, lstat, mkdir, mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { $ } from "zx";
import { REPO_ROOT } from "./repo.js";

/**
 * A copy of the checkout as it is now (tracked and untracked files git does not ignore, edits
 * included), with node_modules linked rather than copied, in a git work tree with every file
 * staged, as a clone is. Returns its directory.
 */
export async function copyCheckout(prefix: string): Promise<string> {
  const listed = await $({
    cwd: REPO_ROOT,
    quiet: true,
    verbose: false,
  })`git ls-files -z --cached --others --exclude-standard`;
  const dest = await mkdtemp(join(tmpdir(), `${prefix}-`));
  for (const file of listed.stdout.split("\0").filter(Boolean)) {
    // A tracked file deleted in the work tree is not part of the checkout as it is now.
    const stat = await lstat(join(REPO_ROOT, file)).catch(() => undefined);
    if (!stat?.isFile()) continue;
    await mkdir(dirname(join(dest, file)), { recursive: true });
    await copyFile(join(REPO_ROOT, file), join(dest, file));
  }
  await symlink(join(REPO_ROOT, "node_modules"), join(dest, "node_modules"), "dir");
  await $({ cwd: dest, quiet: true, verbose: false })`git init -q && git add -A -- . ':!node_modules'`;
  return dest;
}

export async function removeCopy(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** Runs a command in the copy, never throwing: its exit code and output, for the assertion. */
export async function inCopy(dir: string, command: string[]) {
  const run = await $({ cwd: dir, nothrow: true, quiet: true, verbose: false })`${command}`;
  return { code: run.exitCode, out: `${run.stdout}\n${run.stderr}` };
}
