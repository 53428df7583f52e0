// The per-branch stack: one UrlFunction per row of lambda/functions.ts. This file only
// wires components and exports what the workflows read.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { bundleFunction } from "../lambda/build.js";
import { FUNCTIONS, validateFunctions } from "../lambda/functions.js";
import { SENTENCE_INTERVAL_ENV } from "../lambda/src/speech.js";
import { PROJECT_NAME, physicalNames } from "./naming.js";
import { functionSettings, readSettings } from "./settings.js";
import { UrlFunction } from "./url-function.js";

/** The logical names the demo's two functions had before the table (kept by an alias). */
const PREVIOUS_NAMES: Record<string, string> = { stream: "streaming", buffer: "buffered" };

const stack = pulumi.getStack();
const settings = readSettings(new pulumi.Config(), stack);
validateFunctions(FUNCTIONS);

const deployed = FUNCTIONS.map((spec) => {
  // The same esbuild bundle the tests and the local emulator run.
  const bundle = bundleFunction(spec, settings.runtime);
  const own = functionSettings(spec, settings);
  const fn = new UrlFunction(
    spec.name,
    {
      names: physicalNames(stack, spec.name, PROJECT_NAME),
      invokeMode: spec.invokeMode,
      authType: own.authType,
      cors: spec.cors,
      code: new pulumi.asset.AssetArchive({ "index.mjs": new pulumi.asset.FileAsset(bundle.outfile) }),
      handler: bundle.handler,
      runtime: settings.runtime,
      memoryMb: own.memoryMb,
      timeoutS: own.timeoutS,
      logRetentionDays: settings.logRetentionDays,
      environment: { ...spec.environment, [SENTENCE_INTERVAL_ENV]: String(settings.sentenceIntervalMs) },
      permissionsBoundaryArn: settings.permissionsBoundaryArn,
      tags: settings.tags,
    },
    { previousName: PREVIOUS_NAMES[spec.name] ?? spec.name },
  );
  return { spec, fn, bundle };
});

const byName = <T>(pick: (entry: (typeof deployed)[number]) => T) =>
  Object.fromEntries(deployed.map((entry) => [entry.spec.name, pick(entry)]));

/** Every function's URL by row name: what the stream check and the PR comment read. */
export const urls = pulumi.output(byName((entry) => entry.fn.url));
export const functionNames = pulumi.output(byName((entry) => entry.fn.functionName));
export const authTypes = byName((entry) => functionSettings(entry.spec, settings).authType);
export const authType = settings.authType;
export const region = aws.getRegionOutput().region;
export const bundleSha256 = byName((entry) => entry.bundle.sha256);
/**
 * The branch, exactly: the janitor reads it to dispatch this stack's teardown into the
 * branch's concurrency group (stack names are hashed when cut, and the DIY backend keeps no
 * stack tags, while every `up` writes the stack's outputs).
 */
export const branch = settings.branch;
