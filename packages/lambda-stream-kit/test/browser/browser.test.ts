import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attemptFromBrowser, browserTargets } from "../../src/browser-check.js";
import { type RunningFunction, serveFunction } from "../../src/emulator/emulator.js";
import { CORS_ENV } from "../../src/handler/cors.js";
import {
  type BrowserRead,
  findBrowser,
  launchBrowser,
  readThroughPage,
  watchDocument,
} from "../../src/page/browser.js";
import { type RunningPage, servePage } from "../../src/page/serve.js";
import { checkUrl, judged, settingsFor, targetFor } from "../../src/stream-check/check.js";
import { CHART_LINE_COLOURS, toMarkdown } from "../../src/stream-check/report.js";
import { DEFAULT_CHECK_OPTIONS } from "../../src/stream-check/run.js";
import {
  FUNCTIONS,
  type FunctionSpec,
  functionNamed,
  KIT_ROOT,
  SENTENCES,
  withInterval,
} from "../helpers/project.js";
import { hasChromium } from "../helpers/tools.js";

// The browser as a real client: Debian's Chromium (installed by .ci/run), headless, reading
// the emulator's URLs. Every time here is the browser's own (performance.now()). 300 ms: beside a
// second suite (its npm install of the packed kit most of all) Chromium's reader stalled long
// enough at 200 ms to read two lines as one.
const INTERVAL_MS = 300;
const n = SENTENCES.length;
const first = SENTENCES[0]?.slice(0, 30) ?? "";
const last = SENTENCES.at(-1)?.slice(-30) ?? "";

describe.skipIf(!hasChromium())("the streams, read by Chromium", () => {
  let browser: Browser;
  let page: RunningPage;
  let stranger: RunningPage;
  const served: RunningFunction[] = [];
  const urls: Record<string, string> = {};
  const gapsSeen: number[] = [];

  beforeAll(async () => {
    const path = findBrowser(process.env);
    if (!path)
      throw new Error("no Chromium on PATH: .ci/run installs Debian's chromium (apt-get install chromium)");
    [browser, page, stranger] = await Promise.all([launchBrowser(path), servePage([]), servePage([])]);
    // The demo rows, their own CORS allowing this test page's origin (the rows allow the
    // page's default port; this one is on any free port).
    const serve = async (spec: FunctionSpec) => {
      const fn = await serveFunction({
        name: spec.name,
        function: spec,
        invokeMode: spec.invokeMode,
        env: { ...spec.environment, SENTENCE_INTERVAL_MS: String(INTERVAL_MS) },
        ...(spec.cors ? { cors: { ...spec.cors, allowOrigins: [page.origin] } } : {}),
        log: () => {},
      });
      served.push(fn);
      urls[spec.name] = fn.url;
    };
    // A REST API door: nothing in front of it adds CORS headers; the function applies the
    // row's CORS itself (CORS_ENV), answering the preflight and adding them to its metadata.
    const rest = async () => {
      const spec = { ...functionNamed("stream", FUNCTIONS), name: "rest", restApi: true as const };
      const cors = { ...spec.cors, allowOrigins: [page.origin] };
      const fn = await serveFunction({
        name: spec.name,
        function: spec,
        invokeMode: spec.invokeMode,
        env: {
          ...spec.environment,
          SENTENCE_INTERVAL_MS: String(INTERVAL_MS),
          [CORS_ENV]: JSON.stringify(cors),
        },
        log: () => {},
      });
      served.push(fn);
      urls.rest = fn.restApiUrl as string;
    };
    await Promise.all([
      rest(),
      serve(functionNamed("stream", FUNCTIONS)),
      serve(functionNamed("buffer", FUNCTIONS)),
      // The same function with no CORS at all: no page may read it.
      serve({ ...functionNamed("stream", FUNCTIONS), name: "closed", cors: undefined }),
    ]);
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all([page?.close(), stranger?.close(), ...served.map((fn) => fn.close())]);
    if (gapsSeen.length > 0)
      console.log(`Chromium fetch() reader gaps (ms): ${gapsSeen.map(Math.round).join(", ")}`);
  });

  const query = () =>
    new URLSearchParams({ stream: urls.stream ?? "", buffer: urls.buffer ?? "" }).toString();
  /** What the page's readers saw in the first test, for the chart test to judge. */
  let pageReads: Record<string, BrowserRead> | undefined;

  it("the page's fetch() reader sees each sentence apart at the interval, and the buffered twin all at once", async () => {
    const results = await readThroughPage(browser, `${page.url}?${query()}`, 30_000);
    pageReads = results;
    const stream = results.stream;
    const buffer = results.buffer;
    expect(stream?.error).toBe("");
    expect(stream?.lines.map((l) => l.text)).toEqual([...SENTENCES]);
    const times = stream?.lines.map((l) => l.atMs) ?? [];
    const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
    gapsSeen.push(...gaps);
    // The first line of a browser read can arrive up to ~150 ms late (the first gap then
    // looks short); it must still arrive apart from the second, not with it.
    for (const [i, gap] of gaps.entries()) {
      expect(gap).toBeGreaterThan(INTERVAL_MS * (i === 0 ? 0.1 : 0.4));
      // Generous: beside two whole suites Chromium once stalled 1.4 s; what matters is the floor.
      expect(gap).toBeLessThan(INTERVAL_MS * 8);
    }
    expect(buffer?.error).toBe("");
    expect(buffer?.lines.map((l) => l.text)).toEqual([...SENTENCES]);
    const bufferTimes = buffer?.lines.map((l) => l.atMs) ?? [];
    // All at once, and only once the whole speech had been spoken.
    expect(Math.max(...bufferTimes) - Math.min(...bufferTimes)).toBeLessThan(50);
    expect(Math.min(...bufferTimes)).toBeGreaterThan(INTERVAL_MS * (n - 1) * 0.8);
  });

  it("a page from an origin the URL's CORS does not allow is blocked, and says so", async () => {
    const tab = await browser.newPage();
    try {
      await tab.goto(`${stranger.url}?${new URLSearchParams({ stream: urls.stream as string })}`);
      await tab.waitForSelector("body[data-done=true]");
      const results = (await tab.evaluate("window.streamResults")) as Record<string, BrowserRead>;
      expect(results.stream?.error).toMatch(/TypeError/);
      expect(results.stream?.lines).toEqual([]);
      const status = await tab.textContent('section[data-function="stream"] .status');
      expect(status).toContain(`its CORS does not allow this page's origin ${stranger.origin}`);
    } finally {
      await tab.close();
    }
  });

  it("opening the streaming URL itself shows the first sentence well before the last arrives", async () => {
    const shown = await watchDocument(browser, urls.stream as string, first, last, 30_000);
    // Without nosniff Chromium shows nothing until the body ends: both at the same moment.
    // With it, the first sentence shows while at least half the speech is still to come
    // (half, not more: the first line of a browser read can come 100-300 ms late, which is
    // most of a three-sentence speech at this interval).
    expect(shown.lastShownMs - shown.firstShownMs).toBeGreaterThan((INTERVAL_MS * (n - 1)) / 2);
  });

  it("the PR comment's chart renders with mermaid: the streamed line drawn last, over the bars, in a colour of its own", async () => {
    // The chart the stream check writes, from what the page's readers saw of these URLs
    // (the check's own evaluation of the browser's arrivals; no second speech to wait for).
    pageReads ??= await readThroughPage(browser, `${page.url}?${query()}`, 30_000);
    const options = { ...DEFAULT_CHECK_OPTIONS, intervalMs: INTERVAL_MS, toleranceMs: 150 };
    const results = (["stream", "buffer"] as const).map((name) => {
      const target = targetFor(
        withInterval(functionNamed(name, FUNCTIONS), INTERVAL_MS),
        urls[name] as string,
      );
      const settings = settingsFor(target, options);
      return judged(target, settings, attemptFromBrowser(pageReads?.[name], page.origin));
    });
    const markdown = toMarkdown(results);
    const code = /```mermaid\n([\s\S]*?)```/.exec(markdown)?.[1];
    expect(code, markdown).toBeDefined();
    const tab = await browser.newPage();
    try {
      await tab.setContent('<html><body style="margin:0;background:#fff"><div id="out"></div></body></html>');
      await tab.addScriptTag({ path: createRequire(import.meta.url).resolve("mermaid/dist/mermaid.min.js") });
      // mermaid.render rejects on a parse error: the test fails with mermaid's message.
      const drawn = (await tab.evaluate(`(async () => {
        mermaid.initialize({ startOnLoad: false });
        const { svg } = await mermaid.render("chart", ${JSON.stringify(code)});
        document.getElementById("out").innerHTML = svg;
        const plots = [...document.querySelectorAll("svg g.plot > g")];
        const bars = [...document.querySelectorAll("svg g.plot g[class^=bar-plot] rect")];
        const line = document.querySelector("svg g.plot g[class^=line-plot] path");
        return {
          plots: plots.map((g) => g.getAttribute("class")),
          bars: bars.length,
          barFill: bars[0] ? bars[0].getAttribute("fill") : null,
          lineStroke: line ? line.getAttribute("stroke") : null,
          lineLength: line ? line.getTotalLength() : 0,
          background: document.querySelector("svg rect.background")?.getAttribute("fill") ?? null,
        };
      })()`)) as {
        plots: string[];
        bars: number;
        barFill: string | null;
        lineStroke: string | null;
        lineLength: number;
        background: string | null;
      };
      // Not an empty drawing: a bar per sentence and a line with length.
      expect(drawn.bars).toBe(SENTENCES.length);
      expect(drawn.lineLength).toBeGreaterThan(100);
      // The line is the last plot drawn, so nothing covers it.
      expect(drawn.plots.at(-1)).toMatch(/^line-plot/);
      expect(drawn.lineStroke).toBe(CHART_LINE_COLOURS[0]);
      expect(drawn.lineStroke).not.toBe(drawn.barFill);
      expect(drawn.lineStroke).not.toBe(drawn.background);
      const artifacts = join(KIT_ROOT, "dist", "test-artifacts");
      mkdirSync(artifacts, { recursive: true });
      await tab.locator("#out svg").screenshot({ path: join(artifacts, "stream-check-chart.png") });
    } finally {
      await tab.close();
    }
  });

  it("check-stream --browser: each URL read through the page in Chromium, judged like curl's, a refusal named", async () => {
    // Through this test's page (its port: the check reuses a page already there), whose
    // origin the stream URL allows and the closed one does not.
    const spec = withInterval(functionNamed("stream", FUNCTIONS), INTERVAL_MS);
    const check = await browserTargets(
      [
        targetFor(spec, urls.stream as string),
        { ...targetFor(spec, urls.closed as string), label: "closed" },
      ],
      // This file's browser, warm from the tests above: a second Chromium beside it made
      // the first lines of a stream arrive late enough to merge (the CLI runs alone).
      { env: process.env, pagePort: Number(new URL(page.origin).port), browser },
    );
    try {
      const readers = check.targets.filter((t) => t.label.endsWith("·browser"));
      expect(readers.map((t) => t.label)).toEqual(["stream·browser", "closed·browser"]);
      const options = {
        ...DEFAULT_CHECK_OPTIONS,
        intervalMs: INTERVAL_MS,
        toleranceMs: 150,
        waitS: 0,
      };
      const [allowed, refused] = await Promise.all(readers.map((target) => checkUrl(target, options)));
      // Judged by the check's own assertions, the speech's text exact and in order. The
      // first line of a browser read can come 100-300 ms late on a loaded machine (the
      // first test bounds the cadence); a buffered path would fail the span below.
      expect(allowed?.assertions.map((a) => a.id)).toEqual(
        expect.arrayContaining(["answered", "status", "content-type", "text", "complete", "ttfb", "chunks"]),
      );
      for (const id of ["answered", "status", "content-type", "text", "complete"])
        expect(allowed?.assertions.find((a) => a.id === id)?.passed, id).toBe(true);
      const times = allowed?.final.arrivals.map((a) => a.atMs) ?? [];
      expect(times).toHaveLength(n);
      // From the second line: the first may be late (see above), and a text may be short.
      expect((times.at(-1) ?? 0) - (times[1] ?? 0)).toBeGreaterThan(INTERVAL_MS * (n - 2) * 0.6);
      expect(refused?.passed).toBe(false);
      expect(refused?.assertions.find((a) => !a.passed)?.reason).toMatch(
        /the browser refused to read it \(TypeError: .*\): if curl reads it, its CORS does not allow the page's origin http:\/\/127\.0\.0\.1:\d+/,
      );
    } finally {
      await check.close();
    }
  });

  it("reads the REST API door from the page too: the function's own CORS headers let it, line by line", async () => {
    const results = await readThroughPage(
      browser,
      `${page.url}?${new URLSearchParams({ rest: urls.rest ?? "" })}`,
      30_000,
    );
    const rest = results.rest;
    expect(rest?.error).toBe("");
    expect(rest?.lines.map((l) => l.text)).toEqual([...SENTENCES]);
    const times = rest?.lines.map((l) => l.atMs) ?? [];
    const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
    for (const [i, gap] of gaps.entries()) expect(gap).toBeGreaterThan(INTERVAL_MS * (i === 0 ? 0.1 : 0.4));
    // From an origin the row does not allow, the browser refuses it, as it would a Function URL.
    const refused = await readThroughPage(
      browser,
      `${stranger.url}?${new URLSearchParams({ rest: urls.rest ?? "" })}`,
      30_000,
    );
    expect(refused.rest?.error).toMatch(/TypeError/);
  });
});
