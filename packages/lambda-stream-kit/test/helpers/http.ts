import { request } from "node:http";

export interface Received {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  chunks: { atMs: number; data: Buffer }[];
  body: Buffer;
  /** The body ended properly (for chunked: its terminating chunk arrived). */
  complete: boolean;
  error?: string;
}

export interface SendOptions {
  method?: string;
  headers?: Record<string, string | string[]>;
  body?: Buffer | string;
  /** Hang up once this many body chunks have arrived. */
  disconnectAfterChunks?: number;
  /** Called with each body chunk as it arrives. */
  onChunk?: (data: Buffer) => void;
}

/** A real HTTP client on 127.0.0.1 that records each body chunk's arrival time. */
export function send(url: string, options: SendOptions = {}): Promise<Received> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(url, { method: options.method ?? "GET", headers: options.headers ?? {} }, (res) => {
      const received: Received = {
        status: res.statusCode ?? 0,
        headers: res.headers,
        chunks: [],
        body: Buffer.alloc(0),
        complete: false,
      };
      const finish = () => {
        received.body = Buffer.concat(received.chunks.map((c) => c.data));
        resolve(received);
      };
      res.on("data", (data: Buffer) => {
        received.chunks.push({ atMs: performance.now() - started, data });
        options.onChunk?.(data);
        if (options.disconnectAfterChunks && received.chunks.length >= options.disconnectAfterChunks) {
          req.destroy();
          finish();
        }
      });
      res.on("end", () => {
        received.complete = true;
        finish();
      });
      res.on("error", (error) => {
        received.error = error.message;
        finish();
      });
      res.on("aborted", () => {
        received.error ??= "aborted";
      });
    });
    req.on("error", (error) => {
      if (!req.destroyed || !options.disconnectAfterChunks) reject(error);
    });
    req.end(options.body);
  });
}

export async function waitFor<T>(probe: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A port on 127.0.0.1 that something already listens on, for the "port in use" cases. */
export async function occupiedPort(): Promise<{ port: number; release(): void }> {
  const { createServer } = await import("node:net");
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
  return { port: (blocker.address() as { port: number }).port, release: () => blocker.close() };
}
