import { Transform, type TransformCallback } from "node:stream";
import { UsageError } from "../../cli.js";
import { nextWriteDelivery } from "./next-write.js";
import { preludeDelivery, REPORTED_PRELUDE_PAUSE_MS } from "./prelude.js";
import type { Delivery, DeliveryContext, DeliverySpec } from "./shape.js";
import { REPORTED_SIZE_THRESHOLDS, sizeDelivery } from "./size.js";

export type { Delivery, DeliveryContext, DeliverySpec };
export { REPORTED_PRELUDE_PAUSE_MS, REPORTED_SIZE_THRESHOLDS };

export const PROMPT: DeliverySpec = { kind: "prompt" };

/** `--delivery`'s help: each shape and where it was reported (AWS documents none of them). */
export const DELIVERY_HELP =
  "how the Lambda service passes writes on: prompt (default, as written); next-write (each write held until the next " +
  "or the end: serverless-adapter#166, hono#1678); size[:BYTES] (held until BYTES are pending, default 16KiB, " +
  "e.g. size:100KB: aws-lambda-nodejs-runtime-interface-client#94, #102); prelude[:MS] (after an " +
  `HttpResponseStream prelude the body is held to the end unless its first write comes MS later, default ${REPORTED_PRELUDE_PAUSE_MS}: #94)`;

/** A byte count with an optional unit: 16384, 16KiB, 16KB, 1MiB. */
function parseBytes(raw: string): number | undefined {
  const match = /^(\d+)\s*(B|KB|KiB|MB|MiB)?$/i.exec(raw.trim());
  if (!match) return undefined;
  const unit = (match[2] ?? "B").toLowerCase();
  const factor = { b: 1, kb: 1000, kib: 1024, mb: 1000 ** 2, mib: 1024 ** 2 }[unit] ?? 1;
  const value = Number(match[1]) * factor;
  return Number.isSafeInteger(value) && value > 0 ? value : undefined;
}

/** `--delivery` to a spec; a bad value is one UsageError naming the forms there are. */
export function parseDelivery(raw: string | undefined): DeliverySpec {
  if (raw === undefined || raw === "" || raw === "prompt") return PROMPT;
  const [kind, arg] = raw.split(":", 2) as [string, string | undefined];
  const fix = "expected prompt, next-write, size[:BYTES] (e.g. size:16KiB) or prelude[:MS] (e.g. prelude:25)";
  if (kind === "next-write" && arg === undefined) return { kind: "next-write" };
  if (kind === "size") {
    const bytes = arg === undefined ? REPORTED_SIZE_THRESHOLDS.small : parseBytes(arg);
    if (bytes !== undefined) return { kind: "size", bytes };
  }
  if (kind === "prelude") {
    const pauseMs = arg === undefined ? REPORTED_PRELUDE_PAUSE_MS : Number(arg);
    if (Number.isSafeInteger(pauseMs) && pauseMs >= 0 && pauseMs <= 60_000)
      return { kind: "prelude", pauseMs };
  }
  throw new UsageError(`--delivery ${JSON.stringify(raw)}: ${fix}`);
}

/** The spec as `--delivery` spells it (for logs and reports). */
export function describeDelivery(spec: DeliverySpec): string {
  switch (spec.kind) {
    case "size":
      return `size:${spec.bytes}`;
    case "prelude":
      return `prelude:${spec.pauseMs}`;
    default:
      return spec.kind;
  }
}

export function createDelivery(spec: DeliverySpec, context: DeliveryContext): Delivery | undefined {
  switch (spec.kind) {
    case "prompt":
      return undefined;
    case "next-write":
      return nextWriteDelivery();
    case "size":
      return sizeDelivery(spec.bytes);
    case "prelude":
      return preludeDelivery(spec.pauseMs, context);
  }
}

/**
 * The front end's stage for a shape: each chunk from the runtime's request is one write (the
 * runtime client sends each `write()` as its own HTTP chunk). No stage at all for `prompt`,
 * so the default path costs nothing.
 */
export function deliveryStage(spec: DeliverySpec, context: DeliveryContext): Transform | undefined {
  const delivery = createDelivery(spec, context);
  if (!delivery) return undefined;
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      release(this, delivery.write(chunk, performance.now()));
      callback();
    },
    flush(callback: TransformCallback) {
      release(this, delivery.end());
      callback();
    },
  });
}

/** Held writes leave together, as one chunk: "sent with the next one" (#102). */
function release(stage: Transform, out: Buffer[]): void {
  if (out.length > 0) stage.push(out.length === 1 ? out[0] : Buffer.concat(out));
}
