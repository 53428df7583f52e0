// The baseline: a bare node:http server that runs a streaming handler module in-process,
// writing straight to the socket. Start: tsx baseline-server.ts <handler.mjs> -> prints its URL.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";

globalThis.awslambda ??= {
  streamifyResponse: (handler) => handler,
  HttpResponseStream: { from: (stream) => stream },
};
const [file] = process.argv.slice(2);
if (!file) throw new Error("usage: baseline-server.ts <handler module>");
const { handler } = (await import(pathToFileURL(file).href)) as { handler: awslambda.StreamingHandler };

const server = createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://localhost");
  const event = { rawPath: url.pathname, queryStringParameters: Object.fromEntries(url.searchParams) };
  const stream = Object.assign(res, {
    setContentType: (type: string) => res.setHeader("content-type", type),
  }) as unknown as awslambda.ResponseStream;
  res.setHeader("content-type", "application/octet-stream");
  handler(event, stream, {} as awslambda.Context).catch(() => res.destroy());
});
server.listen(0, "127.0.0.1", () => {
  console.log(`baseline at http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
});
process.once("SIGTERM", () => server.close(() => process.exit(0)));
