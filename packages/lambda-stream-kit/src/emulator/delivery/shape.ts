/**
 * How the Lambda service passes a streamed response's writes on to the caller. AWS documents
 * none of this: `prompt` is what the runtime client sends; the other shapes are what users of
 * real Function URLs report (each module cites its sources). A shape is a pure state machine
 * over the runtime's writes, so each one is tested on its own, without sockets or clocks.
 */
export interface Delivery {
  /** A write the runtime client sent, `atMs` on any monotonic clock: the bytes that leave now. */
  write(chunk: Buffer, atMs: number): Buffer[];
  /** The stream ended: whatever is still held leaves now. */
  end(): Buffer[];
}

/** What a delivery is told about the stream it shapes. */
export interface DeliveryContext {
  /** The stream starts with an `HttpResponseStream.from()` prelude (JSON, then 8 NUL bytes). */
  prelude: boolean;
}

/** The reported shapes, as `--delivery` names them. */
export type DeliverySpec =
  | { kind: "prompt" }
  | { kind: "next-write" }
  | { kind: "size"; bytes: number }
  | { kind: "prelude"; pauseMs: number };

export const DELIVERY_KINDS = ["prompt", "next-write", "size", "prelude"] as const;
