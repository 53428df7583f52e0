import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { UsageError } from "../cli.js";
import { closeServer, listenOn } from "../listen.js";

/** A function the page reads: its name, its URL's invoke mode and its URL. */
export interface PageFunction {
  name: string;
  invokeMode: string;
  url: string;
}

export interface RunningPage {
  /** The page itself. */
  url: string;
  /** Its origin, as a browser names it in `Origin` (what a URL's CORS must allow). */
  origin: string;
  close(): Promise<void>;
}

const PAGE = new URL("./index.html", import.meta.url);

/**
 * Serves the demo page on its own origin: `/` the page, `/config.json` the URLs to read.
 * It is a separate server from the Function URLs, as a web app's origin is separate from
 * the API it calls, so the browser applies CORS exactly as it would in production.
 */
export async function servePage(
  functions: readonly PageFunction[],
  options: { host?: string; port?: number; flag?: string } = {},
): Promise<RunningPage> {
  const html = readFileSync(PAGE);
  const config = JSON.stringify({ functions });
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (path === "/" || path === "/index.html") {
      res
        .writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" })
        .end(html);
    } else if (path === "/config.json") {
      res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" }).end(config);
    } else {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
    }
  });
  const host = options.host ?? "127.0.0.1";
  const origin = await listenOn(server, host, options.port ?? 0).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "EADDRINUSE") {
      const flag = options.flag ?? "--page-port";
      throw new UsageError(
        `port ${options.port} (the demo page) is already in use: pick another with ${flag}, or ${flag} 0 for any free one`,
      );
    }
    throw error;
  });
  return {
    url: `${origin}/`,
    origin,
    close: () => closeServer(server),
  };
}
