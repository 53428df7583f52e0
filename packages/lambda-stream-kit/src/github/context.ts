import { Octokit } from "@octokit/rest";
import { UsageError } from "../cli.js";

export interface GitHubContext {
  owner: string;
  repo: string;
  octokit: Octokit;
  /** A link to this workflow run, for the comment's footer. */
  runUrl: string | undefined;
}

/**
 * GitHub's REST API from the variables every Actions job has. GITHUB_API_URL makes it
 * work on GitHub Enterprise Server too (and lets tests point it at a local stand-in).
 */
export function githubFromEnv(env: NodeJS.ProcessEnv = process.env): GitHubContext {
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? "").split("/");
  if (!owner || !repo)
    throw new UsageError("GITHUB_REPOSITORY is not set (expected OWNER/REPO, as in GitHub Actions)");
  if (!env.GITHUB_TOKEN)
    throw new UsageError("GITHUB_TOKEN is not set: pass secrets.GITHUB_TOKEN in the step's env");
  const octokit = new Octokit({
    auth: env.GITHUB_TOKEN,
    baseUrl: env.GITHUB_API_URL || "https://api.github.com",
    userAgent: "lambda-stream-kit",
    // Octokit logs every failed request on its own; each caller reports failures in one line.
    log: {
      debug: () => {},
      info: () => {},
      warn: (message: string) => console.warn(message),
      error: () => {},
    },
  });
  const runUrl =
    env.GITHUB_SERVER_URL && env.GITHUB_RUN_ID
      ? `${env.GITHUB_SERVER_URL}/${owner}/${repo}/actions/runs/${env.GITHUB_RUN_ID}`
      : undefined;
  return { owner, repo, octokit, runUrl };
}

export function footer(runUrl: string | undefined, now = new Date()): string {
  const when = now.toISOString().replace(/\.\d+Z$/, "Z");
  return `<sub>Updated ${when}${runUrl ? ` by [this run](${runUrl})` : ""}.</sub>`;
}
