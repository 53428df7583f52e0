/**
 * What must not reach a pull request comment from logs or command output: account ids in
 * ARNs (masked as the job's logs mask them: aws-actions/configure-aws-credentials
 * `mask-aws-account-id` prints `***`), and anything that looks like a credential. A comment is
 * read by more people than the logs, and by anyone at all on a public repository.
 */
export function maskAccountIds(text: string): string {
  return text.replace(/\b(arn:aws[a-z-]*:[a-z0-9-]*:[a-z0-9-]*:)\d{12}(?=:)/g, "$1***");
}

const SECRETS: [RegExp, string][] = [
  // AWS access key ids (AKIA long-term, ASIA temporary).
  [/\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, "[redacted access key id]"],
  // GitHub tokens (ghp_, gho_, ghu_, ghs_, ghr_, github_pat_).
  [/\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})\b/g, "[redacted GitHub token]"],
  // JSON Web Tokens: three base64url parts, the first a JSON header.
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b/g, "[redacted JWT]"],
  // An Authorization header's value.
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, "$1 [redacted]"],
  // key=value or "key": "value" for names that say secret.
  [
    /((?:secret|password|passwd|token|api[_-]?key|access[_-]?key|session[_-]?token|credential)s?["']?\s*[:=]\s*["']?)[^\s"',}]{4,}/gi,
    "$1[redacted]",
  ],
];

/** Account ids masked and credential-looking values replaced, line by line. */
export function redact(text: string): string {
  let out = maskAccountIds(text);
  for (const [pattern, replacement] of SECRETS) out = out.replace(pattern, replacement);
  return out;
}
