import type { Delivery } from "./shape.js";

/** The thresholds users report: near 16 KB, "inconsistent" (#94), and ~100 KB (#102). */
export const REPORTED_SIZE_THRESHOLDS = { small: 16 * 1024, large: 100 * 1000 } as const;

/**
 * Writes held until `bytes` are pending or the stream ends, then all of them leave at once:
 * "small writes do not go out on their own" with a threshold near 16 KB
 * (aws/aws-lambda-nodejs-runtime-interface-client#94), "chunks under ~100 KB are buffered and
 * sent with the next one" (#102).
 */
export function sizeDelivery(bytes: number): Delivery {
  let held: Buffer[] = [];
  let pending = 0;
  const flush = () => {
    const out = held;
    held = [];
    pending = 0;
    return out;
  };
  return {
    write(chunk) {
      held.push(chunk);
      pending += chunk.length;
      return pending >= bytes ? flush() : [];
    },
    end: flush,
  };
}
