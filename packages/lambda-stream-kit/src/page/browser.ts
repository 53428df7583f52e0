import { accessSync, constants, existsSync, statSync } from "node:fs";
import { delimiter, join } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { UsageError } from "../cli.js";

/**
 * A real Chromium, headless, driven by playwright-core: the machine's own browser (never a
 * download). Debian's package installs /usr/bin/chromium; CI runners have google-chrome.
 */
export const BROWSER_NAMES = [
  "chromium",
  "chromium-browser",
  "google-chrome",
  "google-chrome-stable",
  "chrome",
];

// Without the background-networking flags Chromium dials Google's hosts at start, which a
// closed network refuses; --no-sandbox because CI and containers run as root.
export const BROWSER_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  "--disable-sync",
  "--disable-quic",
];

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The browser to drive: `explicit` if given (it must be a program), else the first on PATH. */
export function findBrowser(env: NodeJS.ProcessEnv, explicit?: string): string | undefined {
  if (explicit !== undefined) {
    if (!existsSync(explicit)) throw new UsageError(`--browser-path ${explicit}: no such file`);
    if (!executable(explicit)) throw new UsageError(`--browser-path ${explicit}: not an executable program`);
    return explicit;
  }
  for (const dir of (env.PATH ?? "").split(delimiter).filter(Boolean)) {
    for (const name of BROWSER_NAMES) {
      const path = join(dir, name);
      if (executable(path)) return path;
    }
  }
  return undefined;
}

/** The install hint when no browser is found. */
export const NO_BROWSER = `no Chrome or Chromium on PATH (looked for ${BROWSER_NAMES.join(", ")}): install one (Debian: apt-get install chromium) or give --browser-path`;

/**
 * Launches the browser and lets it settle before anything is timed: a fresh profile's
 * first page stalls its renderer for a few hundred ms (seen here: a 300 ms hole between
 * two sentences of the first stream read), which must not be charged to the stream.
 */
export async function launchBrowser(executablePath: string): Promise<Browser> {
  const browser = await chromium.launch({ executablePath, headless: true, args: BROWSER_FLAGS });
  const page = await browser.newPage();
  try {
    // Text in every font family the demo page uses: the first use of a font family makes
    // the renderer look it up (fontconfig), the long stall a first stream read would pay.
    await page.setContent(
      '<!doctype html><body style="font: 14px system-ui, sans-serif"><h1>Warm</h1><p>up <b>bold</b>' +
        '<code style="font: 12px ui-monospace, monospace">123 ms +45 ms</code></p></body>',
    );
    await page.evaluate(
      "document.fonts.ready.then(() => new Promise((resolve) => setTimeout(resolve, 300)))",
    );
  } finally {
    await page.close();
  }
  return browser;
}

/** One line as the page's fetch() reader saw it, on the browser's clock. */
export interface BrowserLine {
  text: string;
  atMs: number;
  /** Which reader.read() completed the line: equal numbers arrived together. */
  read: number;
}

export interface BrowserRead {
  url: string;
  status: number;
  contentType: string;
  firstByteMs: number | null;
  lines: BrowserLine[];
  /** Text after the last newline. */
  tail?: string;
  /** Set when the browser refused to read it (a CORS refusal, a network error). */
  error: string;
  /** The body had started when the error came (cut short, not refused). */
  cut?: boolean;
}

/**
 * Opens the demo page at `pageUrl` (its query names the URLs to read) and waits until
 * every column is read: what each fetch() reader saw, timed with performance.now().
 */
export async function readThroughPage(
  browser: Browser,
  pageUrl: string,
  timeoutMs: number,
): Promise<Record<string, BrowserRead>> {
  const page = await browser.newPage();
  try {
    await page.goto(pageUrl);
    await page.waitForSelector("body[data-done=true]", { timeout: timeoutMs });
    return (await page.evaluate("window.streamResults")) as Record<string, BrowserRead>;
  } finally {
    await page.close();
  }
}

// Runs in the page. A string, not a function: the TypeScript loader adds helpers to
// functions (esbuild's __name) that do not exist in the page.
const WATCH_DOCUMENT = `({ first, last, timeoutMs }) => new Promise((resolve, reject) => {
  let firstShownMs;
  const poll = () => {
    const text = document.body ? document.body.innerText : "";
    const now = performance.now();
    if (firstShownMs === undefined && text.includes(first)) firstShownMs = now;
    if (text.includes(last)) return resolve({ firstShownMs: firstShownMs ?? now, lastShownMs: now });
    if (now > timeoutMs) return reject(new Error("the last line never showed within " + timeoutMs + " ms"));
    setTimeout(poll, 5);
  };
  poll();
})`;

export interface DocumentTimes {
  /** ms from navigation start until the first line was in the document. */
  firstShownMs: number;
  /** ... and until the last one was. */
  lastShownMs: number;
}

/**
 * Navigates straight to a URL, as a person pasting it would, and records (on the browser's
 * clock) when the first and the last line became visible in the document.
 */
export async function watchDocument(
  browser: Browser,
  url: string,
  first: string,
  last: string,
  timeoutMs: number,
): Promise<DocumentTimes> {
  const page = await browser.newPage();
  try {
    // `commit`: the response has started; the body may still be arriving.
    await page.goto(url, { waitUntil: "commit" });
    const call = `(${WATCH_DOCUMENT})(${JSON.stringify({ first, last, timeoutMs })})`;
    return (await page.evaluate(call)) as DocumentTimes;
  } finally {
    await page.close();
  }
}
