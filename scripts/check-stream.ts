#!/usr/bin/env -S npx tsx
// The post-deploy stream check, a zx script: curl -N reads every URL the stack exports and each
// answer is judged by its row's expectations in lambda/functions.ts (its lines, in order, each in
// its own read, one interval apart; or all at once for a BUFFERED row). The kit holds the curl
// reader and the verdicts (lambda-stream-kit, its README's "Stream check").
import { main } from "lambda-stream-kit/commands/check-stream";
import { $ } from "zx";
import { FUNCTIONS } from "../lambda/functions.js";

// curl is what reads the streams: say so before anything else when it is missing.
const curl = await $({ nothrow: true, quiet: true })`curl --version`;
if (curl.exitCode !== 0) {
  console.error("check-stream: curl is not installed: install it (apt-get install curl) and run again");
  process.exit(2);
}
await main(process.argv.slice(2), { functions: FUNCTIONS });
