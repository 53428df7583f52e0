// The stack: one function behind one Function URL per row of lambda/functions.ts, named
// `<project>-<stack>-<row>` (the project is `name:` in Pulumi.yaml). Add your own resources (a
// table, a bucket) below, and export what the workflows read.
import { deployFunctions } from "lambda-stream-kit/stack";
import { FUNCTIONS } from "../lambda/functions.js";

const deployed = deployFunctions(FUNCTIONS);

export const { urls, restApiUrls, functionNames, authTypes, authType, region, bundleSha256, branch } =
  deployed.outputs;
