import { describe, expect, it } from "vitest";
import { type CheckTarget, invokeTargetFor, targetFor } from "../../../src/stream-check/check.js";
import { prepareInvoke } from "../../../src/stream-check/invoke.js";
import { type Attempt, curlInfo } from "../../../src/stream-check/measure.js";
import { checkByDoor } from "../../../src/stream-check/run.js";
import { FUNCTIONS, functionNamed } from "../../helpers/project.js";

const options = { intervalMs: 10, toleranceMs: 5, maxTtfbMs: 100, waitS: 0 };

describe("one door at a time", () => {
  it("times every URL together, then the SDK, and keeps the rows' order", async () => {
    const events: string[] = [];
    // A stand-in reader per target: it logs when it starts and ends, and answers nothing.
    const timed = (target: CheckTarget): CheckTarget => ({
      ...target,
      measure: async (): Promise<Attempt> => {
        events.push(`start ${target.label}`);
        await new Promise((resolve) => setTimeout(resolve, 30));
        events.push(`end ${target.label}`);
        return {
          arrivals: [],
          tail: Buffer.alloc(0),
          bytesReceived: 0,
          firstByteMs: undefined,
          curl: curlInfo({}),
        };
      },
    });
    const stream = functionNamed("stream", FUNCTIONS);
    const targets = [
      timed(invokeTargetFor(stream, { functionName: "stream", region: "us-east-1" }, {})),
      timed(targetFor(stream, "http://127.0.0.1:1/")),
      timed(targetFor(functionNamed("buffer", FUNCTIONS), "http://127.0.0.1:2/")),
    ];
    const results = await checkByDoor(targets, options);
    expect(results.map((r) => r.target.label)).toEqual(targets.map((t) => t.label));
    expect(events).toEqual([
      "start stream",
      "start buffer",
      "end stream",
      "end buffer",
      "start stream·sdk",
      "end stream·sdk",
    ]);
  });

  it("runs one whole SDK call before timing, answered locally (no network, no function invoked)", async () => {
    const saved = { ...process.env };
    // Nothing listens on port 1: a warm-up that reached the network would fail.
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_LAMBDA: "http://127.0.0.1:1",
      AWS_ACCESS_KEY_ID: "local",
      AWS_SECRET_ACCESS_KEY: "local",
    });
    try {
      expect(await prepareInvoke({ functionName: "stream", region: "us-east-1" })).toBe(true);
    } finally {
      process.env = saved;
    }
  });
});
