/**
 * The prices a check's cost line uses, with their source and the day they were read: one
 * module, so a new price is one edit. AWS Lambda pricing page, US East (N. Virginia), first
 * tier: requests $0.20 per 1M; duration $0.0000166667 per GB-second on x86_64 and
 * $0.0000133334 on arm64; HTTP response streaming $0.008 per GB beyond the first 6 MB of each
 * response. Other regions and tiers differ: the line is an estimate at list price.
 */
export const LAMBDA_PRICES = {
  readOn: "2026-11-30",
  source: "aws.amazon.com/lambda/pricing (US East, N. Virginia; first tier)",
  requestUsdPerMillion: 0.2,
  gbSecondUsd: { x86_64: 0.0000166667, arm64: 0.0000133334 },
  streamedUsdPerGb: 0.008,
  /** Each streamed response's first 6 MB are not charged as streamed bytes. */
  streamedFreeBytesPerResponse: 6 * 1024 * 1024,
} as const;

export type Architecture = keyof (typeof LAMBDA_PRICES)["gbSecondUsd"];

/** How old the table is, in days, on `today` (the kit's own suite warns past a year). */
export function priceTableAgeDays(today: Date, readOn: string = LAMBDA_PRICES.readOn): number {
  return Math.floor((today.getTime() - Date.parse(`${readOn}T00:00:00Z`)) / 86_400_000);
}
