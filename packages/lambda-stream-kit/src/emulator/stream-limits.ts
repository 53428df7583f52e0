import { Transform, type TransformCallback } from "node:stream";
import { LIMITS } from "./contract.js";

export interface StreamLimits {
  maxBytes: number;
  burstBytes: number;
  bytesPerSecond: number;
}

/** Lambda's streaming limits: a 200 MB cap, and 2 MiB/s once the first 6 MiB are out. */
export class AwsStreamLimits extends Transform {
  private sent = 0;
  private throttledSince = 0;

  constructor(
    private readonly limits: StreamLimits = {
      maxBytes: LIMITS.streamedResponseBytes,
      burstBytes: LIMITS.streamBurstBytes,
      bytesPerSecond: LIMITS.streamBytesPerSecond,
    },
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.sent += chunk.length;
    if (this.sent > this.limits.maxBytes) {
      callback(new Error(`the response exceeded Lambda's ${this.limits.maxBytes} byte streaming limit`));
      return;
    }
    const over = this.sent - this.limits.burstBytes;
    if (over <= 0) {
      callback(null, chunk);
      return;
    }
    // Each byte past the burst may leave no sooner than its place in a 2 MiB/s queue.
    if (!this.throttledSince) this.throttledSince = performance.now();
    const due = this.throttledSince + (over / this.limits.bytesPerSecond) * 1000;
    const wait = due - performance.now();
    if (wait <= 0) callback(null, chunk);
    else setTimeout(() => callback(null, chunk), wait);
  }
}
