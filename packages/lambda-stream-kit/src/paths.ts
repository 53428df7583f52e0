import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The kit's own folder (its package.json): where its page, runtime client and bench handler live. */
export const KIT_ROOT = fileURLToPath(new URL("..", import.meta.url));

/** Names the project's root explicitly, instead of the search from the working directory. */
export const PROJECT_ENV = "LAMBDA_STREAM_KIT_PROJECT";

/** The package.json key that names a project's files for the kit. */
export const CONFIG_KEY = "lambdaStreamKit";

/**
 * The project the kit works for: LAMBDA_STREAM_KIT_PROJECT when set, else the nearest folder from `from` upwards whose package.json
 * has a `lambdaStreamKit` key, else the nearest with a package.json, else `from`. Entries in
 * the function table are relative to it, and bundles go to its `dist/`.
 */
export function projectRoot(from = process.cwd()): string {
  // An explicit project (the kit's own tests point it at their fixture project).
  if (process.env[PROJECT_ENV]) return resolve(process.env[PROJECT_ENV]);
  let nearest: string | undefined;
  for (let dir = from; ; dir = dirname(dir)) {
    const file = join(dir, "package.json");
    if (existsSync(file)) {
      nearest ??= dir;
      try {
        if (CONFIG_KEY in JSON.parse(readFileSync(file, "utf8"))) return dir;
      } catch {
        // not JSON: keep looking
      }
    }
    if (dirname(dir) === dir) return nearest ?? from;
  }
}
