import { Transform, type TransformCallback } from "node:stream";
import { PRELUDE_DELIMITER_LENGTH } from "./contract.js";

export interface PreludeMetadata {
  statusCode: number;
  headers: Record<string, string>;
  cookies: string[];
  /** API Gateway's (a REST API door honours them; a Function URL does not read them). */
  multiValueHeaders?: Record<string, string[]>;
}

const DELIMITER = Buffer.alloc(PRELUDE_DELIMITER_LENGTH);
/** A prelude is a small JSON object; past this it is not one. */
const MAX_PRELUDE_BYTES = 64 * 1024;

export class PreludeError extends Error {
  override name = "PreludeError";
}

/**
 * Splits `HttpResponseStream.from()`'s prelude (JSON, then 8 NUL bytes) off the front of a
 * streamed body, as the Function URL front end does, then passes the rest through
 * untouched. JSON.stringify escapes NUL, so the first run of 8 NULs ends the prelude.
 */
export class PreludeSplitter extends Transform {
  private pending: Buffer | undefined = Buffer.alloc(0);

  constructor(private readonly onPrelude: (metadata: PreludeMetadata) => void) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (!this.pending) {
      callback(null, chunk);
      return;
    }
    const buffered = Buffer.concat([this.pending, chunk]);
    const at = buffered.indexOf(DELIMITER);
    if (at === -1) {
      if (buffered.length > MAX_PRELUDE_BYTES) {
        callback(new PreludeError(`no prelude delimiter within the first ${MAX_PRELUDE_BYTES} bytes`));
        return;
      }
      this.pending = buffered;
      callback();
      return;
    }
    this.pending = undefined;
    try {
      this.onPrelude(parsePrelude(buffered.subarray(0, at)));
    } catch (error) {
      callback(error as Error);
      return;
    }
    const rest = buffered.subarray(at + DELIMITER.length);
    callback(null, rest.length > 0 ? rest : undefined);
  }

  override _flush(callback: TransformCallback): void {
    if (this.pending) {
      callback(
        new PreludeError(
          "the stream ended before its HttpResponseStream prelude was complete " +
            "(end(data) without an earlier write() skips the prelude; AWS answers 502 too): call write() before end()",
        ),
      );
      return;
    }
    callback();
  }
}

export function parsePrelude(bytes: Buffer): PreludeMetadata {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString("utf8"));
  } catch {
    throw new PreludeError(
      `the HttpResponseStream prelude is not JSON: ${bytes.toString("utf8").slice(0, 80)}`,
    );
  }
  const raw = (value ?? {}) as {
    statusCode?: unknown;
    headers?: Record<string, unknown>;
    cookies?: unknown[];
    multiValueHeaders?: Record<string, unknown>;
  };
  const headers: Record<string, string> = {};
  for (const [name, headerValue] of Object.entries(raw.headers ?? {}))
    headers[name.toLowerCase()] = String(headerValue);
  const multi: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(raw.multiValueHeaders ?? {}))
    multi[name.toLowerCase()] = Array.isArray(values) ? values.map(String) : [String(values)];
  return {
    statusCode: raw.statusCode === undefined ? 200 : Number(raw.statusCode),
    headers,
    cookies: Array.isArray(raw.cookies) ? raw.cookies.map(String) : [],
    ...(Object.keys(multi).length > 0 ? { multiValueHeaders: multi } : {}),
  };
}

/** Splits a whole buffered body the same way (BUFFERED invoke mode). */
export function splitPrelude(body: Buffer): { metadata: PreludeMetadata; rest: Buffer } {
  const at = body.indexOf(DELIMITER);
  if (at === -1) throw new PreludeError("the response has the prelude content type but no prelude delimiter");
  return { metadata: parsePrelude(body.subarray(0, at)), rest: body.subarray(at + DELIMITER.length) };
}
