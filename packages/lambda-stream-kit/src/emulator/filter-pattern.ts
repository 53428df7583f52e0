/**
 * CloudWatch Logs' filter patterns for unstructured log events, the subset a log fetch needs
 * ("Filter pattern syntax for metric filters, subscription filters, filter log events"): terms
 * separated by spaces must all appear (case-sensitive); a term in double quotes may hold spaces
 * and punctuation; terms prefixed with `?` match when any of them appears; `-term` excludes. An
 * empty pattern matches everything. JSON and space-delimited patterns (`{ … }`, `[ … ]`) are not
 * served: the caller gets an error naming that, not a silent mismatch.
 */
export class UnsupportedPatternError extends Error {
  override name = "UnsupportedPatternError";
}

interface Term {
  text: string;
  kind: "all" | "any" | "not";
}

function terms(pattern: string): Term[] {
  const found: Term[] = [];
  const tokens = /([?-]?)(?:"((?:[^"\\]|\\.)*)"|(\S+))/g;
  for (const match of pattern.matchAll(tokens)) {
    const prefix = match[1];
    const text = match[2] !== undefined ? match[2].replace(/\\(.)/g, "$1") : (match[3] ?? "");
    found.push({ text, kind: prefix === "?" ? "any" : prefix === "-" ? "not" : "all" });
  }
  return found;
}

/** A matcher for one pattern; throws UnsupportedPatternError for the JSON and bracket forms. */
export function filterPattern(pattern: string | undefined): (message: string) => boolean {
  const trimmed = (pattern ?? "").trim();
  if (trimmed === "") return () => true;
  if (/^[{[]/.test(trimmed)) {
    throw new UnsupportedPatternError(
      `filter pattern ${JSON.stringify(trimmed)}: JSON and space-delimited patterns are not served by the local Logs API (terms, "quoted terms", ?any and -not are)`,
    );
  }
  const parsed = terms(trimmed);
  const all = parsed.filter((t) => t.kind === "all");
  const any = parsed.filter((t) => t.kind === "any");
  const not = parsed.filter((t) => t.kind === "not");
  return (message) =>
    all.every((t) => message.includes(t.text)) &&
    (any.length === 0 || any.some((t) => message.includes(t.text))) &&
    !not.some((t) => message.includes(t.text));
}
