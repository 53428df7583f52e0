import { createHash } from "node:crypto";

/** The first `length` hex digits of the text's SHA-256. */
export function shortHash(text: string, length = 8): string {
  return createHash("sha256").update(text, "utf8").digest("hex").slice(0, length);
}

/**
 * The one rule for deriving a bounded name: `slug` as it is when `keepAsIs` and it fits in
 * `maxLength`; otherwise a cut-down slug plus a hash of the `original`, so two originals
 * never share a result. Stack names (from branches) and the stack's share of AWS names
 * (from stacks) both use it.
 */
export function fitWithHash(
  original: string,
  slug: string,
  maxLength: number,
  keepAsIs: boolean,
  emptyStem = "",
) {
  if (keepAsIs && slug.length > 0 && slug.length <= maxLength) return slug;
  const hash = shortHash(original);
  const stem = slug.slice(0, Math.max(0, maxLength - hash.length - 1)).replace(/-+$/, "") || emptyStem;
  return stem ? `${stem}-${hash}` : hash;
}
