import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { serveFunction } from "../../../src/emulator/emulator.js";
import type { RuntimeClientName } from "../../../src/emulator/runtime-clients.js";
import { send, waitFor } from "../../helpers/http.js";

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/handlers/${name}`, import.meta.url));
const clients: RuntimeClientName[] = ["ric", "builtin"];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Lambda freezes the execution environment between invocations: a timer left running after
// the response fires during the next invocation, not while the instance is idle.
describe.each(clients)("an idle instance is frozen (%s runtime client)", (runtime) => {
  it("runs work left after the response only when the next invocation thaws it", async () => {
    const logs: string[] = [];
    const fn = await serveFunction({
      handler: fixture("left-running.mjs"),
      invokeMode: "RESPONSE_STREAM",
      runtime,
      log: (line) => logs.push(line),
    });
    try {
      const first = await send(`${fn.url}?tag=first`);
      const firstId = String(first.headers["x-amzn-requestid"]);
      expect(first.body.toString()).toBe("done\n");
      // Twice the timer's 1 s: on a thawed process it would have fired by now. (The freeze comes
      // when the runtime asks for its next event, which a loaded machine delays by some 100 ms.)
      await sleep(2000);
      expect(logs.filter((l) => l.includes("late timer of first"))).toEqual([]);
      const second = await send(`${fn.url}?tag=second`);
      const secondId = String(second.headers["x-amzn-requestid"]);
      const late = await waitFor(
        () => logs.find((l) => l.includes("late timer of first")),
        5000,
        "the first invocation's timer",
      );
      // It runs once the second invocation has started; aws-lambda-ric 4 (Node 24) keeps the
      // request id of the invocation that started the work (its async context), as does ours.
      expect(logs.indexOf(late)).toBeGreaterThan(
        logs.indexOf(`START RequestId: ${secondId} Version: $LATEST`),
      );
      expect(late).toContain(firstId);
      expect(fn.pool.instanceCount).toBe(1);
    } finally {
      await fn.close();
    }
  });

  it("still ends a frozen instance at shutdown, leaving no process behind", async () => {
    const fn = await serveFunction({
      handler: fixture("left-running.mjs"),
      invokeMode: "RESPONSE_STREAM",
      runtime,
      log: () => {},
    });
    await send(fn.url);
    const pids = fn.pool.pids();
    expect(pids.length).toBeGreaterThan(0);
    await fn.close();
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow(/ESRCH/);
  });
});
