// The kit's own test project (test/fixtures/project): a table, a speech, a Pulumi.yaml.
import { join } from "node:path";
import { KIT_ROOT } from "../../src/paths.js";

export { FUNCTIONS } from "../fixtures/project/lambda/functions.js";
export { SENTENCES, speechDurationMs, speechLines } from "../fixtures/project/lambda/speech.js";

/** Where the kit's commands run in tests: they find the table and the name there. */
export const FIXTURE_ROOT = join(KIT_ROOT, "test/fixtures/project");
/** The fixture's Pulumi project name. */
export const FIXTURE_PROJECT = "kit-fixture";
export { KIT_ROOT };

/** A kit command's bin (`check-stream.ts` → bin/check-stream.mjs): what `npx lambda-stream-…` runs. */
export function commandBin(name: string): string {
  return join(KIT_ROOT, "bin", name.replace(/\.ts$/, ".mjs"));
}
export { type FunctionSpec, functionNamed, withInterval } from "../../src/functions.js";
export { SENTENCE_INTERVAL_ENV } from "../fixtures/project/lambda/speech.js";

/** The fixture's speech handler, as a file to serve (`--handler`). */
export const SPEECH_HANDLER = join(FIXTURE_ROOT, "lambda/index.ts");
