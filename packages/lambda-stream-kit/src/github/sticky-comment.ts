import type { Octokit } from "@octokit/rest";

/** The stages that write to the comment, in the order they appear in it. */
export const SECTIONS = ["preview", "deploy", "check", "teardown"] as const;
export type SectionName = (typeof SECTIONS)[number];

/** GitHub rejects issue comments longer than this many characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;

/** The hidden marker: the Pulumi project's name and the stack, so a renamed project starts its own. */
const marker = (stack: string, project: string) => `<!-- ${project}:sticky stack=${stack} -->`;
const open = (name: SectionName) => `<!-- section:${name} -->`;
const close = (name: SectionName) => `<!-- /section:${name} -->`;

export type Sections = Partial<Record<SectionName, string>>;

export function isStickyFor(body: string | undefined, stack: string, project: string): boolean {
  return (body ?? "").includes(marker(stack, project));
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
export function renderComment(
  stack: string,
  sections: Sections,
  project: string,
  limit = GITHUB_COMMENT_LIMIT,
): string {
  const parts = { ...sections };
  for (;;) {
    const body = [
      marker(stack, project),
      `## λ ${project} · stack \`${stack}\``,
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
  /** The Pulumi project's name (infra/Pulumi.yaml), part of the comment's marker. */
  project: string;
}

export interface UpsertResult {
  action: "created" | "updated";
  commentId: number;
  length: number;
  /** Write-and-verify rounds it took (more than 1 when another writer raced it). */
  attempts: number;
}

/** How many write-then-verify rounds a writer makes before it gives up. */
export const MAX_WRITE_ATTEMPTS = 4;

async function stickyComments(octokit: Octokit, target: StickyTarget) {
  const comments = await octokit.paginate(octokit.rest.issues.listComments, {
    owner: target.owner,
    repo: target.repo,
    issue_number: target.issueNumber,
    per_page: 100,
  });
  return comments
    .filter((comment) => isStickyFor(comment.body, target.stack, target.project))
    .sort((a, b) => a.id - b.id);
}

/**
 * Writes one section of the PR's sticky comment for this stack, keeping the others. The
 * comment is found by its hidden marker across every page of comments (pulumi/actions'
 * own comment looks at the first 30 only, and duplicates on busy PRs).
 *
 * GitHub has no compare-and-swap on comments, so two writers (say a deploy and a teardown)
 * can each read, then overwrite the other's section, or each create a comment. So every
 * write is verified: re-read, and if this section is missing or there are two comments,
 * merge everything into the oldest one, delete the others, and try again (bounded).
 */
export async function upsertSection(
  octokit: Octokit,
  target: StickyTarget,
  section: SectionName,
  content: string,
  pause: (attempt: number) => Promise<void> = (attempt) =>
    new Promise((resolve) => setTimeout(resolve, 150 * attempt + Math.random() * 250)),
): Promise<UpsertResult> {
  const wanted = content.trim();
  let created = false;
  for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
    const found = await stickyComments(octokit, target);
    // Newer comments' sections first, the oldest's last: the oldest is the one kept.
    const sections: Sections = Object.assign(
      {},
      ...found
        .slice()
        .reverse()
        .map((comment) => parseSections(comment.body ?? "")),
    );
    sections[section] = wanted;
    const body = renderComment(target.stack, sections, target.project);
    const [keeper, ...duplicates] = found;
    if (keeper) {
      await octokit.rest.issues.updateComment({
        owner: target.owner,
        repo: target.repo,
        comment_id: keeper.id,
        body,
      });
      for (const duplicate of duplicates) {
        await octokit.rest.issues
          .deleteComment({ owner: target.owner, repo: target.repo, comment_id: duplicate.id })
          .catch((error: { status?: number }) => {
            if (error.status !== 404) throw error; // another writer deleted it first
          });
      }
    } else {
      await octokit.rest.issues.createComment({
        owner: target.owner,
        repo: target.repo,
        issue_number: target.issueNumber,
        body,
      });
      created = true;
    }
    const after = await stickyComments(octokit, target);
    const only = after.length === 1 ? after[0] : undefined;
    if (only && parseSections(only.body ?? "")[section] === parseSections(body)[section]) {
      return {
        action: created ? "created" : "updated",
        commentId: only.id,
        length: body.length,
        attempts: attempt,
      };
    }
    await pause(attempt);
  }
  throw new Error(
    `could not keep the ${section} section in the sticky comment of #${target.issueNumber} after ${MAX_WRITE_ATTEMPTS} attempts: another job keeps rewriting it; re-run this job`,
  );
}

/**
 * The newest pull request whose head is `branch` in this repository: an open one (where a
 * deploy writes), or with `state: "all"` also a closed one (the one a `delete` teardown
 * marks). GitHub lists pull requests newest first.
 */
export async function pullRequestFor(
  octokit: Octokit,
  owner: string,
  repo: string,
  branch: string,
  state: "open" | "all" = "open",
): Promise<number | undefined> {
  const { data } = await octokit.rest.pulls.list({
    owner,
    repo,
    state,
    head: `${owner}:${branch}`,
    per_page: 1,
  });
  return data[0]?.number;
}
