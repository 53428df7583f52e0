import type { Delivery } from "./shape.js";

/**
 * Each write held until the next write or the end arrives: "the response is held until either
 * another write occurs or the stream ends" (H4ad/serverless-adapter#166); "a tiny write after
 * each chunk released the previous one" (honojs/hono#1678); the 2023 Pulumi blog post's first
 * sentence, written at t=0, "appears approximately 1 second after invocation".
 */
export function nextWriteDelivery(): Delivery {
  let held: Buffer | undefined;
  return {
    write(chunk) {
      const out = held ? [held] : [];
      held = chunk;
      return out;
    },
    end() {
      const out = held ? [held] : [];
      held = undefined;
      return out;
    },
  };
}
