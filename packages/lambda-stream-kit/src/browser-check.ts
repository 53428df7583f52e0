import type { Browser } from "playwright-core";
import { UsageError } from "./cli.js";
import { DEMO_PAGE_PORT } from "./contract.js";
import { type BrowserRead, findBrowser, launchBrowser, NO_BROWSER, readThroughPage } from "./page/browser.js";
import { servePage } from "./page/serve.js";
import type { CheckTarget } from "./stream-check/check.js";
import { type Attempt, CURL_EXIT, curlInfo } from "./stream-check/measure.js";

// The stream check's third reader, composed here (the check and the page never import
// each other): each URL read by a real Chrome/Chromium through the demo page, served on
// the origin the rows' CORS allows, with the same assertions as curl's.

/** curl's exit code for "no answer" is not used: a browser refusal is not worth a retry. */
const BROWSER_REFUSED = 1;

/** What the page's fetch() reader saw, in curl's terms, so one evaluator judges it. */
export function attemptFromBrowser(read: BrowserRead | undefined, origin: string): Attempt {
  const lines = read?.lines ?? [];
  const tail = Buffer.from(read?.tail ?? "");
  const refused = read === undefined || (read.error !== "" && !read.cut);
  return {
    arrivals: lines.map((line) => ({ atMs: line.atMs, bytes: Buffer.from(line.text), read: line.read })),
    tail,
    bytesReceived: lines.reduce((sum, line) => sum + Buffer.byteLength(line.text) + 1, tail.length),
    firstByteMs: read?.firstByteMs ?? undefined,
    curl: curlInfo({
      transport: "browser",
      exitCode: refused ? BROWSER_REFUSED : read.error ? CURL_EXIT.partial : CURL_EXIT.ok,
      httpCode: refused ? 0 : read.status,
      contentType: read?.contentType ?? "",
      timeStartTransferMs: read?.firstByteMs ?? 0,
      timeTotalMs: lines.at(-1)?.atMs ?? 0,
      error: !read
        ? "the page never reported on this URL"
        : refused
          ? `the browser refused to read it (${read.error}): if curl reads it, its CORS does not allow the page's origin ${origin}, or it is not public (a browser cannot sign for AWS_IAM)`
          : read.error,
    }),
  };
}

/**
 * The page on `port`: our own server, or, when `npm start` already serves the same page
 * there (checking local URLs while it runs), that one: only that origin is allowed.
 */
async function pageFor(port: number): Promise<{ url: string; origin: string; close(): Promise<void> }> {
  try {
    return await servePage([], { port });
  } catch (error) {
    if (!(error instanceof UsageError) || port === 0) throw error;
    const origin = `http://127.0.0.1:${port}`;
    const answer = await fetch(`${origin}/config.json`).then(
      (res) => (res.ok ? (res.json() as Promise<{ functions?: unknown }>) : undefined),
      () => undefined,
    );
    if (!Array.isArray(answer?.functions)) throw error;
    return { url: `${origin}/`, origin, close: async () => {} };
  }
}

export interface BrowserCheck {
  targets: CheckTarget[];
  close(): Promise<void>;
}

/**
 * A `·browser` target beside each URL target (GET only: the page reads with a plain
 * fetch()). Finds the browser first, so a missing one is a usage error before any work.
 */
export async function browserTargets(
  targets: readonly CheckTarget[],
  options: {
    env: NodeJS.ProcessEnv;
    browserPath?: string | undefined;
    pagePort?: number;
    /** A browser already running and warm (tests share one); default: launch the one found. */
    browser?: Browser;
  },
): Promise<BrowserCheck> {
  const path = options.browser ? undefined : findBrowser(options.env, options.browserPath);
  if (!options.browser && !path) throw new UsageError(NO_BROWSER);
  // A browser cannot sign: AWS_IAM URLs are read by curl and the SDK only.
  const readable = targets.filter(
    (t) => !t.invoke && !t.sign && (t.request?.method ?? "GET") === "GET" && !t.request?.body,
  );
  if (readable.length === 0)
    throw new UsageError("--browser reads public URLs: pass --urls-json or --url of a NONE-auth URL");
  const page = await pageFor(options.pagePort ?? DEMO_PAGE_PORT);
  const browser =
    options.browser ??
    (await launchBrowser(path as string).catch(async (error: Error) => {
      await page.close();
      throw new UsageError(
        `--browser: ${path} did not start (${error.message.split("\n")[0]}): give another with --browser-path`,
      );
    }));
  // One pass over the page before anything is timed: its first load in a new browser
  // (module script, fetch, stream reader, fonts) stalled the first stream read here by
  // up to 500 ms. A browser handed in has been used already.
  if (!options.browser) await readThroughPage(browser, page.url, 30_000).catch(() => undefined);
  const browserTargetsOf = readable.map(
    (target): CheckTarget => ({
      label: `${target.label}·browser`,
      url: target.url,
      expect: target.expect,
      ...(target.request?.path ? { request: { path: target.request.path } } : {}),
      measure: async ({ maxTimeS }) => {
        const url = target.request?.path ? new URL(target.request.path, target.url).href : target.url;
        const query = new URLSearchParams({ [target.label]: url });
        try {
          const reads = await readThroughPage(browser, `${page.url}?${query}`, maxTimeS * 1000);
          return attemptFromBrowser(reads[target.label], page.origin);
        } catch (error) {
          return attemptFromBrowser(
            {
              url,
              status: 0,
              contentType: "",
              firstByteMs: null,
              lines: [],
              error: (error as Error).message.split("\n")[0] ?? "",
            },
            page.origin,
          );
        }
      },
    }),
  );
  return {
    targets: [...targets, ...browserTargetsOf],
    close: async () => {
      if (!options.browser) await browser.close();
      await page.close();
    },
  };
}
