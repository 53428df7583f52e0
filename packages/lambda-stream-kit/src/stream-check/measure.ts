import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { $ } from "zx/core";
import type { CheckRequest } from "../functions.js";

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
  /** When the request had gone out (curl's time_pretransfer); 0 when the reader has none. */
  timePretransferMs?: number;
  timeStartTransferMs: number;
  timeTotalMs: number;
  sizeDownload: number;
  /** curl's own error message, e.g. "curl: (7) Failed to connect ...". */
  error: string;
  /** Who read it: curl, or in curl's terms the AWS SDK (InvokeWithResponseStream) or a browser. */
  transport?: "curl" | "sdk" | "browser";
  /** The answer came chunked (true) or with a content-length (false); unknown when absent. */
  chunked?: boolean;
  /** The invocation's request id (a Function URL's x-amzn-RequestId; the SDK's), to find its logs. */
  requestId?: string;
}

export interface Attempt {
  arrivals: Arrival[];
  /** Bytes after the last newline (a line cut short, or a body without a final newline). */
  tail: Buffer;
  bytesReceived: number;
  /** ms from the request's start to the first body byte seen on curl's stdout. */
  firstByteMs: number | undefined;
  /** Every read of the body: when it came and how many bytes (older reports lack it). */
  reads?: { atMs: number; bytes: number }[];
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

/** curl's exit codes the check reasons about; the SDK and browser readers report in them too. */
export const CURL_EXIT = {
  ok: 0,
  couldNotResolve: 6,
  couldNotConnect: 7,
  partial: 18,
  timedOut: 28,
  receiveError: 56,
} as const;

/** A transfer report with nothing measured yet: the fields a reader sets, over these. */
export function curlInfo(fields: Partial<CurlInfo>): CurlInfo {
  return {
    exitCode: CURL_EXIT.ok,
    httpCode: 0,
    contentType: "",
    redirectUrl: "",
    httpVersion: "",
    timeConnectMs: 0,
    timeStartTransferMs: 0,
    timeTotalMs: 0,
    sizeDownload: 0,
    error: "",
    ...fields,
  };
}

/**
 * Cuts a body into newline-terminated lines as its chunks arrive (curl's reads, the SDK's
 * PayloadChunks), each line stamped with the time and the read that completed it.
 */
export class ArrivalLines {
  readonly arrivals: Arrival[] = [];
  /** Bytes after the last newline. */
  tail = Buffer.alloc(0);
  bytesReceived = 0;
  firstByteMs: number | undefined;
  readonly reads: { atMs: number; bytes: number }[] = [];

  constructor(private readonly onArrival?: (arrival: Arrival, index: number) => void) {}

  push(atMs: number, chunk: Buffer): void {
    this.reads.push({ atMs, bytes: chunk.length });
    this.bytesReceived += chunk.length;
    this.firstByteMs ??= atMs;
    this.tail = Buffer.concat([this.tail, chunk]);
    for (let at = this.tail.indexOf(NEWLINE); at !== -1; at = this.tail.indexOf(NEWLINE)) {
      const arrival = { atMs, bytes: this.tail.subarray(0, at), read: this.reads.length };
      this.arrivals.push(arrival);
      this.onArrival?.(arrival, this.arrivals.length - 1);
      this.tail = this.tail.subarray(at + 1);
    }
  }
}

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
    // curl 7.84+ writes a response header with %header{}: chunked or not, for the check's cause.
    `%{stderr}%{json}\n%{stderr}${TRANSFER_ENCODING_LINE}%header{transfer-encoding}\n%{stderr}${REQUEST_ID_LINE}%header{x-amzn-requestid}\n`,
    "--header",
    "accept: text/plain, */*",
  ];
  if (dir && options.sigv4Region) {
    args.push(...(await sigv4Args(dir, options.sigv4Region, options.env ?? process.env)));
  }
  args.push(...requestArgs(options.request));
  args.push("--", options.request?.path ? new URL(options.request.path, url).href : url);

  const lines = new ArrivalLines(options.onArrival);
  const started = performance.now();
  try {
    const curl = $({
      quiet: true,
      nothrow: true,
      verbose: false,
      ...(options.request?.body !== undefined ? { input: options.request.body } : {}),
    })`curl ${args}`;
    curl.stdout.on("data", (data: Buffer | string) => {
      lines.push(performance.now() - started, typeof data === "string" ? Buffer.from(data, "utf8") : data);
    });
    const result = await curl;
    const info = parseCurlInfo(result.stderr, result.exitCode ?? -1);
    const { arrivals, tail, bytesReceived, firstByteMs, reads } = lines;
    return { arrivals, tail, bytesReceived, firstByteMs, reads, curl: info };
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

/** The line fetchOnce's --write-out adds after curl's JSON, with the transfer-encoding header. */
const TRANSFER_ENCODING_LINE = "check-stream transfer-encoding: ";
/** … and the one with the Function URL's request id (its x-amzn-RequestId header). */
const REQUEST_ID_LINE = "check-stream request-id: ";

export function parseCurlInfo(text: string, exitCode: number): CurlInfo {
  let json: Record<string, unknown> = {};
  const errors: string[] = [];
  let chunked: boolean | undefined;
  let requestId: string | undefined;
  for (const line of text.split("\n")) {
    if (line.startsWith(TRANSFER_ENCODING_LINE)) {
      chunked = /chunked/i.test(line.slice(TRANSFER_ENCODING_LINE.length));
      continue;
    }
    if (line.startsWith(REQUEST_ID_LINE)) {
      requestId = line.slice(REQUEST_ID_LINE.length).trim() || undefined;
      continue;
    }
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
    timePretransferMs: seconds("time_pretransfer"),
    timeStartTransferMs: seconds("time_starttransfer"),
    timeTotalMs: seconds("time_total"),
    sizeDownload: Number(json.size_download ?? 0),
    error: errors.join(" "),
    ...(chunked !== undefined && Number(json.http_code ?? 0) > 0 ? { chunked } : {}),
    ...(requestId ? { requestId } : {}),
  };
}
