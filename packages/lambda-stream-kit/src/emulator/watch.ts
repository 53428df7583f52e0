import { type FSWatcher, watch } from "node:fs";
import { dirname, relative } from "node:path";
import { projectRoot } from "../paths.js";

export type RebuildResult =
  | { ok: true; ms: number; sha256: string; changed: boolean; inputs: string[] }
  | { ok: false; error: string };

/** What watch mode needs of a served function: rebuild its bundle and start new code. */
export interface Rebuildable {
  name: string;
  /** The files the last good build read. */
  inputs(): string[];
  /** Rebuilds; on success the pool recycles (in-flight invocations keep their old code). */
  rebuild(): RebuildResult;
}

/** An esbuild failure as one line: `file:line:column: message`. */
export function compileError(error: unknown): string {
  const first = (
    error as { errors?: { text: string; location?: { file: string; line: number; column: number } }[] }
  ).errors?.[0];
  if (!first) return (error as Error).message?.split("\n")[0] ?? String(error);
  const where = first.location
    ? `${first.location.file}:${first.location.line}:${first.location.column + 1}: `
    : "";
  return `${where}${first.text}`;
}

/**
 * Watches the folders of every file a function's bundle is made of (folder watches
 * survive editors that save by replacing the file), rebuilds on a change (debounced), and
 * prints one line per rebuild, or the compile error while the last good build keeps serving.
 */
export function watchFunction(
  fn: Rebuildable,
  log: (line: string) => void,
  debounceMs = 80,
): { close(): void } {
  let watchers: FSWatcher[] = [];
  let timer: NodeJS.Timeout | undefined;
  let watched = new Set<string>();
  const arm = (inputs: string[]) => {
    for (const watcher of watchers) watcher.close();
    watched = new Set(inputs);
    watchers = [...new Set(inputs.map((file) => dirname(file)))].map((dir) =>
      watch(dir, (_event, name) => {
        if (name && !watched.has(`${dir}/${name}`)) return;
        clearTimeout(timer);
        timer = setTimeout(rebuild, debounceMs);
      }),
    );
  };
  const rebuild = () => {
    const result = fn.rebuild();
    if (!result.ok) {
      log(`rebuild failed, still serving the last good build: ${result.error}`);
      return; // keep watching the same files: the next save retries
    }
    log(
      result.changed
        ? `rebuilt in ${result.ms} ms (sha256 ${result.sha256.slice(0, 12)}): new invocations run it, those in flight finish on the old code`
        : `rebuilt in ${result.ms} ms: no change to the bundle`,
    );
    arm(result.inputs);
  };
  arm(fn.inputs());
  log(
    `watching ${fn
      .inputs()
      .filter((f) => !f.includes("node_modules"))
      .map((f) => relative(projectRoot(), f))
      .join(", ")}`,
  );
  return {
    close() {
      clearTimeout(timer);
      for (const watcher of watchers) watcher.close();
    },
  };
}
