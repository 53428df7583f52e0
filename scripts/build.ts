// `npm run build`: every row's esbuild bundle, as the stack uploads it and the emulator runs it.
import { bundleFunction, describeBundle } from "lambda-stream-kit/stack";
import { FUNCTIONS } from "../lambda/functions.js";

const seen = new Set<string>();
for (const spec of FUNCTIONS) {
  if (seen.has(spec.entry)) continue;
  seen.add(spec.entry);
  console.log(describeBundle(bundleFunction(spec)));
}
