import type { IncomingMessage } from "node:http";

/**
 * A request body up to `limit` bytes: the whole body, or undefined when it is larger (the
 * rest is read and dropped, so the connection stays usable). The front end (Lambda's 6 MB
 * payload limit) and the Runtime API (responses and errors) both read bodies with it.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limit) {
    req.resume();
    return Promise.resolve(undefined);
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on("end", () => resolve(size > limit ? undefined : Buffer.concat(chunks)));
    // A client that goes away mid-body: what arrived is all there is.
    req.on("error", () => resolve(size > limit ? undefined : Buffer.concat(chunks)));
    req.on("aborted", () => resolve(size > limit ? undefined : Buffer.concat(chunks)));
  });
}
