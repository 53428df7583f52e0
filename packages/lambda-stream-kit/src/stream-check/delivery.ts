import type { InvokeMode } from "../contract.js";
import type { Attempt } from "./measure.js";

/**
 * How the answer's bytes were delivered, told from the reads' arrival times and sizes. AWS
 * documents no minimum write, but real Function URLs are reported to hold small writes (see
 * the emulator's `--delivery` shapes): the first real deploy's report names the shape it saw.
 */
export type DeliveryShapeName = "prompt" | "next-write" | "size" | "at-end" | "unknown";

export interface ReadStamp {
  /** ms from the request's start. */
  atMs: number;
  bytes: number;
}

export interface ObservedDelivery {
  shape: DeliveryShapeName;
  /** One line naming the shape, for notes and the report. */
  description: string;
  firstByteMs: number | undefined;
  largestReadBytes: number;
  reads: number;
  /** How many lines shared the busiest read. */
  mostLinesInOneRead: number;
}

export interface DeliveryContext {
  /** The pause the function leaves between lines, when known (the row's interval). */
  intervalMs?: number | undefined;
  /** A window of this size holding every line means "all at once". */
  windowMs: number;
  /** The Function URL's invoke mode, when known (a row's). */
  invokeMode?: InvokeMode | undefined;
}

export const DELIVERY_DESCRIPTIONS: Record<DeliveryShapeName, string> = {
  prompt: "delivered promptly: each line in its own read, as written",
  "next-write": "each write held until the next one: every line about one interval late",
  size: "held until a size is reached: several lines per read at uneven times",
  "at-end": "everything at the end, in one go",
  unknown: "too few lines to tell",
};

/** The reads of an attempt: its own, or those the lines' read numbers imply (older reports). */
export function readsOf(attempt: Attempt): ReadStamp[] {
  if (attempt.reads) return attempt.reads;
  const reads = new Map<number, ReadStamp>();
  for (const arrival of attempt.arrivals) {
    const read = reads.get(arrival.read) ?? { atMs: arrival.atMs, bytes: 0 };
    read.bytes += arrival.bytes.length + 1;
    reads.set(arrival.read, read);
  }
  return [...reads.values()];
}

/**
 * Names the delivery shape. Lines all inside one short window: "at-end". Lines sharing reads
 * at uneven times: "size". Each line in a read of its own (or only the last two together, when
 * the end released them), steady, with the first line about one interval late and the stream
 * ending right after the last line: "next-write". Otherwise "prompt".
 */
export function observeDelivery(attempt: Attempt, context: DeliveryContext): ObservedDelivery {
  const reads = readsOf(attempt);
  const arrivals = attempt.arrivals;
  const perRead = new Map<number, number>();
  for (const arrival of arrivals) perRead.set(arrival.read, (perRead.get(arrival.read) ?? 0) + 1);
  const base = {
    firstByteMs: attempt.firstByteMs,
    largestReadBytes: Math.max(0, ...reads.map((r) => r.bytes)),
    reads: reads.length,
    mostLinesInOneRead: Math.max(0, ...perRead.values()),
  };
  const shape = classify(attempt, context, perRead);
  return { ...base, shape, description: DELIVERY_DESCRIPTIONS[shape] };
}

function classify(
  attempt: Attempt,
  context: DeliveryContext,
  perRead: Map<number, number>,
): DeliveryShapeName {
  const arrivals = attempt.arrivals;
  const n = arrivals.length;
  if (n < 2) return "unknown";
  const first = arrivals[0]?.atMs ?? 0;
  const last = arrivals.at(-1)?.atMs ?? 0;
  const span = last - first;
  const interval = context.intervalMs;
  if (span <= context.windowMs && (interval === undefined || span < ((n - 1) * interval) / 2))
    return "at-end";
  const shared = [...perRead.values()].filter((count) => count > 1);
  const lastTwoTogether = arrivals[n - 1]?.read === arrivals[n - 2]?.read;
  const onlyLastTwoShare = shared.length === 1 && shared[0] === 2 && lastTwoTogether;
  // A size threshold releases lines in uneven groups at uneven times; a function that writes
  // two lines at a time, steadily, was delivered as written.
  if (shared.length > 0 && !onlyLastTwoShare) return uneven(arrivals, perRead) ? "size" : "prompt";
  if (interval === undefined || interval <= 0) return "prompt";
  // Held until the next write: the first line waits for the second write, one interval; the
  // last is released by the end, so nothing follows it (its write came just before the end).
  // With curl's own timings, the wait is the server's alone (first byte after the request went
  // out): a check slow to start curl on a busy machine is not a held write.
  const { timePretransferMs: sent = 0, timeStartTransferMs: firstByte } = attempt.curl;
  const serverWait = sent > 0 && firstByte > 0 ? firstByte - sent : first;
  const lateFirst = first >= 0.75 * interval && serverWait >= 0.75 * interval;
  const endAfterLast = attempt.curl.timeTotalMs > 0 ? attempt.curl.timeTotalMs - last : undefined;
  const endedWithLast = lastTwoTogether || (endAfterLast !== undefined && endAfterLast < interval / 2);
  if (lateFirst && endedWithLast) return "next-write";
  return "prompt";
}

/** Lines per read, or the times between reads, vary by more than a quarter of their median. */
function uneven(arrivals: Attempt["arrivals"], perRead: Map<number, number>): boolean {
  const spread = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
    return values.some((value) => Math.abs(value - median) > Math.max(1, median / 4));
  };
  const readTimes = [...new Map(arrivals.map((a) => [a.read, a.atMs])).values()];
  const readGaps = readTimes.slice(1).map((at, i) => at - (readTimes[i] ?? 0));
  return spread([...perRead.values()]) || spread(readGaps);
}

/** One line per door for reports: the shape, the first byte and the largest read. */
export function deliveryLine(label: string, observed: ObservedDelivery): string {
  const first =
    observed.firstByteMs === undefined ? "no bytes" : `first byte ${Math.round(observed.firstByteMs)} ms`;
  return `${label}: ${observed.description} (${first}, largest read ${observed.largestReadBytes} B in ${observed.reads} reads)`;
}
