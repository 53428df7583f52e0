import { startFakeGitHub } from "lambda-stream-kit/testing/github";
import { describe, expect, it } from "vitest";
import { missingIdsMessage, resolveRepository } from "../../../infra/bootstrap/settings.js";

const named = { owner: "acme", name: "streaming", ownerId: undefined, repoId: undefined };
// No token anywhere: an empty PATH also hides a gh CLI that might be logged in on this machine.
const noToken = { PATH: "" };

describe("the repository ids the bootstrap trusts", () => {
  it("uses the configured ids as they are", async () => {
    expect(await resolveRepository({ ...named, ownerId: "1", repoId: "2" }, noToken)).toEqual({
      owner: "acme",
      name: "streaming",
      ownerId: "1",
      repoId: "2",
    });
  });

  it("refuses without ids or a token, printing the gh api commands that give them", async () => {
    await expect(resolveRepository(named, noToken)).rejects.toThrow(missingIdsMessage("acme", "streaming"));
    const message = missingIdsMessage("acme", "streaming");
    expect(message).toContain(
      'pulumi config set githubOwnerId "$(gh api repos/acme/streaming --jq .owner.id)"',
    );
    expect(message).toContain('pulumi config set githubRepoId "$(gh api repos/acme/streaming --jq .id)"');
    expect(message).not.toContain("\n");
  });

  it("looks them up with GitHub's API when GITHUB_TOKEN is set", async () => {
    const github = await startFakeGitHub("acme", "streaming");
    try {
      const env = { ...noToken, GITHUB_TOKEN: "t", GITHUB_API_URL: github.url };
      expect(await resolveRepository(named, env)).toEqual({
        owner: "acme",
        name: "streaming",
        ownerId: String(github.ownerId),
        repoId: String(github.repoId),
      });
      await expect(resolveRepository({ ...named, name: "missing" }, env)).rejects.toThrow(
        /looking up acme\/missing on GitHub failed \(404\)/,
      );
    } finally {
      await github.close();
    }
  });
});
