import type { Message, MessageHeaders } from "@smithy/eventstream-codec";
import { fromUtf8 } from "@smithy/util-utf8";

/**
 * The messages of an InvokeWithResponseStream answer (Lambda API reference,
 * InvokeWithResponseStream "Response Syntax"): PayloadChunk events with the function's bytes,
 * then one InvokeComplete. The emulator sends them; the check's SDK warm-up answers with one.
 */
function eventHeaders(eventType: string, contentType: string): MessageHeaders {
  return {
    ":event-type": { type: "string", value: eventType },
    ":message-type": { type: "string", value: "event" },
    ":content-type": { type: "string", value: contentType },
  };
}

/** The bytes as the function wrote them. */
export function payloadChunk(bytes: Uint8Array): Message {
  return { headers: eventHeaders("PayloadChunk", "application/octet-stream"), body: bytes };
}

/** The end of the stream: ErrorCode/ErrorDetails when the function failed, LogResult with `LogType: Tail`. */
export function invokeComplete(fields: Record<string, string>): Message {
  return {
    headers: eventHeaders("InvokeComplete", "application/json"),
    body: fromUtf8(JSON.stringify(fields)),
  };
}
