import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { SENTENCES } from "./project.js";

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export type Behaviour = (req: IncomingMessage, res: ServerResponse, hit: number) => Promise<void> | void;

export interface TestServer {
  url: string;
  close(): Promise<void>;
}

/** A local HTTP server on 127.0.0.1 that answers with `behaviour`; every socket dies on close(). */
export async function startServer(behaviour: Behaviour): Promise<TestServer> {
  let hits = 0;
  const server: Server = createServer((req, res) => {
    hits++;
    Promise.resolve(behaviour(req, res, hits)).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Streams `lines` with the given gap before each (0 for the first), as text/plain. Each line
 * is due at the sum of the gaps so far, measured from the start: a timer that fires late on a
 * busy machine delays that line, not every line after it (ten servers side by side drifted
 * 94 ms over nine sleeps of 200 ms, and the honest stand-in failed "first to last").
 */
export function paced(
  lines: readonly (string | Buffer)[],
  gapMs: number | ((index: number) => number),
  contentType = "text/plain; charset=utf-8",
): Behaviour {
  return async (_req, res) => {
    res.writeHead(200, { "content-type": contentType });
    const start = performance.now();
    let due = 0;
    for (const [index, line] of lines.entries()) {
      const gap = typeof gapMs === "number" ? (index === 0 ? 0 : gapMs) : gapMs(index);
      due += gap;
      const wait = start + due - performance.now();
      if (gap > 0 && wait > 0) await sleep(wait);
      if (res.destroyed) return;
      res.write(typeof line === "string" ? `${line}\n` : Buffer.concat([line, Buffer.from("\n")]));
    }
    res.end();
  };
}

export const honest = (intervalMs: number) => paced(SENTENCES, intervalMs);
