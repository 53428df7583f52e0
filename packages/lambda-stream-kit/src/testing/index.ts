// `lambda-stream-kit/testing`: what a project's handler tests import (no Pulumi, no emulator).
export { functionUrlEvent, restApiEvent, type TestRequest } from "./events.js";
export {
  type RecordedWrite,
  TestResponseStream,
  type TestResponseStreamOptions,
  testContext,
} from "./response-stream.js";
