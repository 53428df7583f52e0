// The kit's Pulumi surface (`lambda-stream-kit/stack`): what a stack program imports.

export { bundleFunction, describeBundle, functionBundlePath } from "../build.js";
export {
  type DeployedFunction,
  type DeployedFunctions,
  deployFunctions,
  LIVE_VERSIONS_ENV,
  requestedLiveVersions,
} from "./deploy.js";
export { AWS_NAME_LIMIT, type PhysicalNames, physicalNames, stackPart, tagValue } from "./naming.js";
export {
  DEFAULTS,
  functionSettings,
  LOG_RETENTION_DAYS,
  minTimeoutFor,
  readSettings,
  type StackSettings,
} from "./settings.js";
export {
  CANDIDATE_ALIAS,
  LIVE_ALIAS,
  UrlFunction,
  type UrlFunctionArgs,
  urlFunctionType,
} from "./url-function.js";
