import { PRELUDE_DELIMITER_LENGTH } from "../contract.js";
import type { Delivery, DeliveryContext } from "./shape.js";

/** The pause users found to release the body: "~25 ms" (#94, 2024-03). */
export const REPORTED_PRELUDE_PAUSE_MS = 25;

const DELIMITER = Buffer.alloc(PRELUDE_DELIMITER_LENGTH);

/**
 * After an `HttpResponseStream.from()` prelude, the whole body held until the end unless its
 * first write comes at least `pauseMs` after the prelude: "15-20 % of responses" waited for the
 * end unless ~25 ms passed before the first body write
 * (aws/aws-lambda-nodejs-runtime-interface-client#94). Modelled as always, not 15-20 %, so a
 * handler that leaves no pause fails every time locally rather than now and then on AWS.
 * A stream without a prelude is delivered as written.
 */
export function preludeDelivery(pauseMs: number, context: DeliveryContext): Delivery {
  // The prelude's bytes so far (JSON.stringify escapes NUL, so the first 8 NULs end it).
  let scanned: Buffer | undefined = context.prelude ? Buffer.alloc(0) : undefined;
  let preludeEndAt: number | undefined;
  let holdAll = false;
  let held: Buffer[] = [];
  return {
    write(chunk, atMs) {
      if (holdAll) {
        held.push(chunk);
        return [];
      }
      if (scanned) {
        scanned = Buffer.concat([scanned, chunk]);
        const at = scanned.indexOf(DELIMITER);
        if (at === -1) return [chunk];
        const bodyBytes = scanned.length - (at + DELIMITER.length);
        scanned = undefined;
        preludeEndAt = atMs;
        if (bodyBytes === 0) return [chunk];
        // The prelude and the first body bytes came in one write: no pause at all.
        holdAll = true;
        held.push(chunk);
        return [];
      }
      if (preludeEndAt !== undefined) {
        const pause = atMs - preludeEndAt;
        preludeEndAt = undefined;
        if (pause < pauseMs) {
          holdAll = true;
          held.push(chunk);
          return [];
        }
      }
      return [chunk];
    },
    end() {
      const out = held;
      held = [];
      return out;
    },
  };
}
