import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { $ } from "zx/core";
import type { CheckRequest } from "../../../lambda/functions.js";

/** One newline-terminated line of the body as it arrived. */
export interface Arrival {
  /** Milliseconds from the request's start (monotonic clock) to the line's last byte. */
  atMs: number;
  /** The line's bytes without its newline. */
  bytes: Buffer;
  /** Which read from curl's stdout completed the line: equal numbers arrived in one chunk. */
  read: number;
}

/** What curl reports about the transfer (`-w '%{json}'`). */
export interface CurlInfo {
  exitCode: number;
  /** 0 when no HTTP response arrived. */
  httpCode: number;
  contentType: string;
  redirectUrl: string;
  httpVersion: string;
  timeConnectMs: number;
  timeStartTransferMs: number;
  timeTotalMs: number;
  sizeDownload: number;
  /** curl's own error message, e.g. "curl: (7) Failed to connect ...". */
  error: string;
  /** Who read it: curl, or in curl's terms the AWS SDK (InvokeWithResponseStream) or a browser. */
  transport?: "curl" | "sdk" | "browser";
}

export interface Attempt {
  arrivals: Arrival[];
  /** Bytes after the last newline (a line cut short, or a body without a final newline). */
  tail: Buffer;
  bytesReceived: number;
  /** ms from the request's start to the first body byte seen on curl's stdout. */
  firstByteMs: number | undefined;
  curl: CurlInfo;
}

export interface FetchOptions {
  maxTimeS: number;
  /** Sign for an AWS_IAM Function URL with curl's own SigV4, credentials from the environment. */
  sigv4Region?: string;
  env?: NodeJS.ProcessEnv;
  /** Called as each line arrives, for live progress. */
  onArrival?: (arrival: Arrival, index: number) => void;
  /** Method, path, headers and body (default GET of the URL itself). */
  request?: CheckRequest;
}

/** curl's arguments for a row's request; the body goes through stdin, never the command line. */
export function requestArgs(request: CheckRequest | undefined): string[] {
  if (!request) return [];
  const args: string[] = [];
  if (request.method && request.method !== "GET") args.push("--request", request.method);
  for (const [name, value] of Object.entries(request.headers ?? {}))
    args.push("--header", `${name}: ${value}`);
  if (request.body !== undefined) args.push("--data-binary", "@-");
  return args;
}

const NEWLINE = 0x0a;

/**
 * One request with real curl, unbuffered (-N), stamping each line as it comes out of
 * curl's stdout. curl's timings (`-w '%{stderr}%{json}'`) and error messages are read
 * from the stderr that zx captures: a zx child cannot open /dev/stderr, and curl's
 * `--stderr <file>` stays empty under zx, so stdout carries nothing but the body.
 */
export async function fetchOnce(url: string, options: FetchOptions): Promise<Attempt> {
  // Only a signed request needs a private file (its credentials); nothing else touches disk.
  const dir = options.sigv4Region ? await mkdtemp(join(tmpdir(), "check-stream-")) : undefined;
  const args = [
    "--silent",
    "--show-error",
    "--no-buffer",
    "--proto",
    "=http,https",
    "--max-time",
    String(options.maxTimeS),
    "--write-out",
    "%{stderr}%{json}\n",
    "--header",
    "accept: text/plain, */*",
  ];
  if (dir && options.sigv4Region) {
    args.push(...(await sigv4Args(dir, options.sigv4Region, options.env ?? process.env)));
  }
  args.push(...requestArgs(options.request));
  args.push("--", options.request?.path ? new URL(options.request.path, url).href : url);

  const arrivals: Arrival[] = [];
  let pending = Buffer.alloc(0);
  let bytesReceived = 0;
  let firstByteMs: number | undefined;
  let reads = 0;
  const started = performance.now();
  try {
    const curl = $({
      quiet: true,
      nothrow: true,
      verbose: false,
      ...(options.request?.body !== undefined ? { input: options.request.body } : {}),
    })`curl ${args}`;
    curl.stdout.on("data", (data: Buffer | string) => {
      const now = performance.now() - started;
      const chunk = typeof data === "string" ? Buffer.from(data, "utf8") : data;
      reads++;
      bytesReceived += chunk.length;
      firstByteMs ??= now;
      pending = Buffer.concat([pending, chunk]);
      for (let at = pending.indexOf(NEWLINE); at !== -1; at = pending.indexOf(NEWLINE)) {
        const arrival = { atMs: now, bytes: pending.subarray(0, at), read: reads };
        arrivals.push(arrival);
        options.onArrival?.(arrival, arrivals.length - 1);
        pending = pending.subarray(at + 1);
      }
    });
    const result = await curl;
    const info = parseCurlInfo(result.stderr, result.exitCode ?? -1);
    return { arrivals, tail: pending, bytesReceived, firstByteMs, curl: info };
  } finally {
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}

/** Credentials go in a private curl config file, never on the command line (ps would show them). */
async function sigv4Args(dir: string, region: string, env: NodeJS.ProcessEnv): Promise<string[]> {
  const { AWS_ACCESS_KEY_ID: id, AWS_SECRET_ACCESS_KEY: secret, AWS_SESSION_TOKEN: token } = env;
  if (!id || !secret) {
    throw new Error("--sigv4 needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment");
  }
  const config = join(dir, "sigv4.conf");
  const quote = (value: string) => `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
  const lines = [`user = ${quote(`${id}:${secret}`)}`];
  if (token) lines.push(`header = ${quote(`x-amz-security-token: ${token}`)}`);
  await writeFile(config, `${lines.join("\n")}\n`, { mode: 0o600 });
  return ["--aws-sigv4", `aws:amz:${region}:lambda`, "--config", config];
}

export function parseCurlInfo(text: string, exitCode: number): CurlInfo {
  let json: Record<string, unknown> = {};
  const errors: string[] = [];
  for (const line of text.split("\n")) {
    // curl's own error message has no newline, so the JSON may share its line.
    const at = line.indexOf('{"');
    if (at !== -1) {
      try {
        json = JSON.parse(line.slice(at)) as Record<string, unknown>;
        if (line.slice(0, at).trim()) errors.push(line.slice(0, at).trim());
        continue;
      } catch {
        // not curl's JSON after all: keep it as a message
      }
    }
    if (line.trim()) errors.push(line.trim());
  }
  const seconds = (key: string) => Math.round(Number(json[key] ?? 0) * 1000 * 10) / 10;
  return {
    exitCode,
    httpCode: Number(json.http_code ?? json.response_code ?? 0),
    contentType: String(json.content_type ?? ""),
    redirectUrl: String(json.redirect_url ?? ""),
    httpVersion: String(json.http_version ?? ""),
    timeConnectMs: seconds("time_connect"),
    timeStartTransferMs: seconds("time_starttransfer"),
    timeTotalMs: seconds("time_total"),
    sizeDownload: Number(json.size_download ?? 0),
    error: errors.join(" "),
  };
}
