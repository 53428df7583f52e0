// The stack: one function behind one Function URL per row of lambda/functions.ts, named
// `<project>-<stack>-<row>` (the project is `name:` in Pulumi.yaml); production's behind `live`
// and `candidate` aliases (README, "Production"). Add your own resources (a table, a bucket)
// below, and export what the workflows read.
import { deployFunctions } from "lambda-stream-kit/stack";
import { FUNCTIONS } from "../lambda/functions.js";

const deployed = deployFunctions(FUNCTIONS);

export const {
  urls,
  restApiUrls,
  functionNames,
  candidateUrls,
  candidateFunctionNames,
  liveVersions,
  candidateVersions,
  authTypes,
  authType,
  region,
  bundleSha256,
  branch,
} = deployed.outputs;
