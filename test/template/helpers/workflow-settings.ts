import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "./repo.js";

/** Every repository variable and secret the workflows and the setup action read (GITHUB_TOKEN is GitHub's). */
export function workflowSettings(): { variables: string[]; secrets: string[] } {
  const dir = join(REPO_ROOT, ".github/workflows");
  const texts = [
    ...readdirSync(dir)
      .filter((file) => file.endsWith(".yml"))
      .map((file) => readFileSync(join(dir, file), "utf8")),
    readFileSync(join(REPO_ROOT, ".github/actions/setup/action.yml"), "utf8"),
  ].join("\n");
  const names = (context: string) =>
    [
      ...new Set(
        [...texts.matchAll(new RegExp(`\\b${context}\\.([A-Z][A-Z0-9_]*)`, "g"))].map((m) => m[1] as string),
      ),
    ]
      .filter((name) => name !== "GITHUB_TOKEN")
      .sort();
  return { variables: names("vars"), secrets: names("secrets") };
}
