import { spawnSync } from "node:child_process";
import { findBrowser } from "../../src/page/browser.js";

/**
 * Whether a test may use a tool this machine may lack. Missing on a laptop: the tests that need
 * it are skipped, with one line naming the tool and how to install it. Missing under CI=true
 * (GitHub sets it; .ci/run installs every tool): an error, so the run fails rather than passing
 * without them.
 */
export function toolAvailable(tool: string, found: boolean, install: string): boolean {
  if (found) return true;
  const why = `${tool} is not installed here: ${install}`;
  if (process.env.CI === "true") throw new Error(`${why} (CI=true: every test must run)`);
  process.stderr.write(`skipping the ${tool} tests: ${why} (under CI=true its absence fails)\n`);
  return false;
}

export const hasChromium = () =>
  toolAvailable(
    "Chromium",
    findBrowser(process.env) !== undefined,
    "apt-get install chromium (Debian's package; no browser download)",
  );

export const hasAwsCli = () =>
  toolAvailable(
    "the AWS CLI",
    spawnSync("aws", ["--version"], { stdio: "ignore" }).status === 0,
    "apt-get install awscli, or AWS's installer",
  );
