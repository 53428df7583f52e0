// `lambda-stream-kit`: the types and facts a project's function table and bootstrap share.
export * from "./contract.js";
export {
  type CheckRequest,
  type Expectations,
  type FunctionSpec,
  functionNamed,
  KIT_FUNCTION_ARGS,
  type LinesExpectation,
  MIN_PACED_LINES,
  type PolicyStatement,
  REST_ENDPOINT_TYPES,
  type RestApiSettings,
  type RestEndpointType,
  type RowInterval,
  restApiOf,
  rowEnvironment,
  validateFunctions,
  withInterval,
} from "./functions.js";
export { fitWithHash, shortHash } from "./names.js";
export { projectRoot } from "./paths.js";
export {
  checkProjectName,
  loadProject,
  PROJECT_NAME_LIMIT,
  type Project,
  readProjectName,
} from "./project.js";
export {
  bundleTarget,
  DEFAULT_LAMBDA_RUNTIME,
  LAMBDA_ARCHITECTURE,
  LAMBDA_RUNTIMES,
  type LambdaRuntime,
  runtimeNodeMajor,
} from "./runtime.js";
