/// <reference path="./awslambda.d.ts" />
// `lambda-stream-kit/handler`: what a handler imports. Bundled into the function, so it
// imports nothing but Node's built-ins (the build test holds it to that).

export { CORS_ENV, restApiCors } from "./cors.js";
export { type Door, eventDoor } from "./doors.js";
export {
  HIGH_WATER_MARK_MARKER,
  httpResponseStream,
  markStreaming,
  PRELUDE_CONTENT_TYPE,
  PRELUDE_DELIMITER_LENGTH,
  STREAMING_MARKER,
  streamify,
} from "./streamify.js";
