// The per-branch stack: the speech function behind a streaming and a buffered Function
// URL. This file only wires components and exports what the workflows read.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { buildBundle, LAMBDA_HANDLER } from "../lambda/build.js";
import { PROJECT_NAME, physicalNames } from "./naming.js";
import { readSettings } from "./settings.js";
import { StreamingFunction } from "./streaming-function.js";

const stack = pulumi.getStack();
const settings = readSettings(new pulumi.Config(), stack);
// The same esbuild bundle the tests and the local emulator run.
const bundle = buildBundle(undefined, undefined, settings.runtime);
const code = new pulumi.asset.AssetArchive({ "index.mjs": new pulumi.asset.FileAsset(bundle.outfile) });

const common = {
  authType: settings.authType,
  code,
  handler: LAMBDA_HANDLER,
  runtime: settings.runtime,
  memoryMb: settings.memoryMb,
  timeoutS: settings.timeoutS,
  logRetentionDays: settings.logRetentionDays,
  sentenceIntervalMs: settings.sentenceIntervalMs,
  permissionsBoundaryArn: settings.permissionsBoundaryArn,
  tags: settings.tags,
};

const streaming = new StreamingFunction("streaming", {
  ...common,
  names: physicalNames(stack, "stream", PROJECT_NAME),
  invokeMode: "RESPONSE_STREAM",
});
const buffered = new StreamingFunction("buffered", {
  ...common,
  names: physicalNames(stack, "buffer", PROJECT_NAME),
  invokeMode: "BUFFERED",
});

export const streamingUrl = streaming.url;
export const bufferedUrl = buffered.url;
export const authType = settings.authType;
export const functionNames = { streaming: streaming.functionName, buffered: buffered.functionName };
export const region = aws.getRegionOutput().region;
export const bundleSha256 = bundle.sha256;
