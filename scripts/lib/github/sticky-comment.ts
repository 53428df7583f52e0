import type { Octokit } from "@octokit/rest";

/** The stages that write to the comment, in the order they appear in it. */
export const SECTIONS = ["preview", "deploy", "check", "teardown"] as const;
export type SectionName = (typeof SECTIONS)[number];

/** GitHub rejects issue comments longer than this many characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;

const MARKER_PREFIX = "<!-- lambda-streaming:sticky";
const marker = (stack: string) => `${MARKER_PREFIX} stack=${stack} -->`;
const open = (name: SectionName) => `<!-- section:${name} -->`;
const close = (name: SectionName) => `<!-- /section:${name} -->`;

export type Sections = Partial<Record<SectionName, string>>;

export function isStickyFor(body: string | undefined, stack: string): boolean {
  return (body ?? "").includes(marker(stack));
}

/** The sections of an existing sticky comment (those another stage wrote before). */
export function parseSections(body: string): Sections {
  const sections: Sections = {};
  for (const name of SECTIONS) {
    const start = body.indexOf(open(name));
    const end = body.indexOf(close(name));
    if (start !== -1 && end > start) sections[name] = body.slice(start + open(name).length, end).trim();
  }
  return sections;
}

const TRIM_NOTE =
  "\n\n> [!NOTE]\n> Trimmed to fit GitHub's 65,536-character comment limit; the full text is in the workflow run.\n";

/**
 * The whole comment: marker, heading, then each present section in stage order. If it
 * would exceed GitHub's limit, the longest section is cut (with a note saying so) until
 * it fits, so no stage's update is ever rejected.
 */
export function renderComment(stack: string, sections: Sections, limit = GITHUB_COMMENT_LIMIT): string {
  const parts = { ...sections };
  for (;;) {
    const body = [
      marker(stack),
      `## λ Lambda streaming · stack \`${stack}\``,
      ...SECTIONS.filter((name) => parts[name] !== undefined).map(
        (name) => `${open(name)}\n${parts[name]}\n${close(name)}`,
      ),
    ].join("\n\n");
    if (body.length <= limit) return body;
    const longest = SECTIONS.filter((name) => parts[name] !== undefined).sort(
      (a, b) => (parts[b]?.length ?? 0) - (parts[a]?.length ?? 0),
    )[0];
    if (!longest) return body.slice(0, limit);
    const text = parts[longest] ?? "";
    const keep = Math.max(0, text.length - (body.length - limit) - TRIM_NOTE.length - 8);
    if (keep === 0 && text.endsWith(TRIM_NOTE)) return body.slice(0, limit); // nothing left to cut
    let cut = text.slice(0, keep);
    // A cut inside a fenced block would swallow the note: close the fence.
    if ((cut.match(/```/g)?.length ?? 0) % 2 === 1) cut += "\n```";
    parts[longest] = cut + TRIM_NOTE;
  }
}

export interface StickyTarget {
  owner: string;
  repo: string;
  issueNumber: number;
  stack: string;
}

export interface UpsertResult {
  action: "created" | "updated";
  commentId: number;
  length: number;
}

/**
 * Writes one section of the PR's sticky comment for this stack, keeping the others. The
 * comment is found by its hidden marker across every page of comments (pulumi/actions'
 * own comment looks at the first 30 only, and duplicates on busy PRs).
 */
export async function upsertSection(
  octokit: Octokit,
  target: StickyTarget,
  section: SectionName,
  content: string,
): Promise<UpsertResult> {
  const comments = await octokit.paginate(octokit.rest.issues.listComments, {
    owner: target.owner,
    repo: target.repo,
    issue_number: target.issueNumber,
    per_page: 100,
  });
  const existing = comments.find((comment) => isStickyFor(comment.body, target.stack));
  const sections = existing ? parseSections(existing.body ?? "") : {};
  sections[section] = content.trim();
  const body = renderComment(target.stack, sections);
  if (existing) {
    await octokit.rest.issues.updateComment({
      owner: target.owner,
      repo: target.repo,
      comment_id: existing.id,
      body,
    });
    return { action: "updated", commentId: existing.id, length: body.length };
  }
  const created = await octokit.rest.issues.createComment({
    owner: target.owner,
    repo: target.repo,
    issue_number: target.issueNumber,
    body,
  });
  return { action: "created", commentId: created.data.id, length: body.length };
}

/** The open pull request whose head is `branch` in this repository, if any. */
export async function openPullRequestFor(
  octokit: Octokit,
  owner: string,
  repo: string,
  branch: string,
): Promise<number | undefined> {
  const { data } = await octokit.rest.pulls.list({
    owner,
    repo,
    state: "open",
    head: `${owner}:${branch}`,
    per_page: 1,
  });
  return data[0]?.number;
}
