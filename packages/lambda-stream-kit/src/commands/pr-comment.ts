// Writes one section of a pull request's sticky comment:
//   lambda-stream-pr-comment <preview|deploy|check|teardown> --stack S (--pr N | --branch B) [section flags]
import { readFile } from "node:fs/promises";
import { EXIT, integer, OperationalError, parseFlagsWithPositionals, runMain, UsageError } from "../cli.js";
import { footer, githubFromEnv } from "../github/context.js";
import { renderSection } from "../github/sections.js";
import { pullRequestFor, SECTIONS, type SectionName, upsertSection } from "../github/sticky-comment.js";
import { functionsOf, nameOf, type ProjectInput } from "../project.js";
import { outputObject } from "../stack-outputs.js";

const USAGE = `usage: lambda-stream-pr-comment <${SECTIONS.join("|")}> --stack S (--pr N | --branch B)
  preview:  --status success|failure|cancelled|skipped [--pulumi-output FILE]
  deploy:   --status success|failure|cancelled [--urls-json '{"<function>":"<url>",…}']
  check:    --markdown FILE
  teardown: --status destroyed|already-gone|kept|failure`;

/** The stack's `urls` or `restApiUrls` output (empty when the deploy failed before exporting it). */
function parseUrls(
  raw: string | undefined,
  flag = "urls-json",
  output = "urls",
): Record<string, string> | undefined {
  if (!raw?.trim()) return undefined;
  const urls = outputObject(flag, raw, {
    output,
    what: "function name to URL",
    example: '{"stream":"https://…"}',
  });
  // Rows are not checked against the function table: the comment shows what was deployed.
  for (const [name, url] of Object.entries(urls))
    if (typeof url !== "string")
      throw new UsageError(`--${flag} ${name}: expected a URL string, got ${JSON.stringify(url)}`);
  return urls as Record<string, string>;
}

/** The command; `argv` without node and the script, `project` what the caller knows of it. */
export function main(argv: string[] = process.argv.slice(2), project: ProjectInput = {}): Promise<void> {
  return runMain("pr-comment", async () => {
    const { values, positionals } = parseFlagsWithPositionals(
      argv,
      {
        stack: { type: "string", description: "the stack the comment is about (required)" },
        pr: { type: "string", description: "pull request number, 1 or more" },
        branch: { type: "string", description: "find the open pull request of this branch instead" },
        "pulumi-output": { type: "string", description: "preview: file holding pulumi preview's output" },
        markdown: { type: "string", description: "check: the stream check's markdown report" },
        status: { type: "string", description: "the stage's outcome (see the usage line per section)" },
        "urls-json": { type: "string", description: "deploy: the stack's urls output, JSON" },
        "rest-urls-json": { type: "string", description: "deploy: the stack's restApiUrls output, JSON" },
      },
      USAGE,
    );
    const section = positionals[0] as SectionName;
    if (positionals.length !== 1 || !SECTIONS.includes(section))
      throw new UsageError(`expected one section name (see --help)`);
    if (!values.stack) throw new UsageError(`--stack is required (see --help)`);
    const urls = parseUrls(values["urls-json"]);
    const restApiUrls = parseUrls(values["rest-urls-json"], "rest-urls-json", "restApiUrls");
    const github = githubFromEnv();
    let issueNumber = values.pr ? integer("pr", values.pr, 1, Number.MAX_SAFE_INTEGER) : undefined;
    if (issueNumber === undefined) {
      if (!values.branch) throw new UsageError(`pass --pr or --branch (see --help)`);
      issueNumber = await pullRequestFor(github.octokit, github.owner, github.repo, values.branch);
      if (issueNumber === undefined) {
        console.log(`no open pull request for branch ${values.branch}: no comment to update`);
        return EXIT.ok;
      }
    }
    const read = async (flag: string, file: string | undefined) => {
      if (!file) throw new UsageError(`${section} needs --${flag} <file>`);
      return readFile(file, "utf8").catch(() => {
        throw new UsageError(`--${flag} ${file}: cannot read the file (did the step before write it?)`);
      });
    };
    const content = renderSection(section, {
      footer: footer(github.runUrl),
      pulumiOutput:
        section === "preview" && values.status === "success"
          ? await read("pulumi-output", values["pulumi-output"])
          : undefined,
      markdown: section === "check" ? await read("markdown", values.markdown) : undefined,
      status: values.status,
      urls,
      restApiUrls,
      functions: section === "deploy" ? await functionsOf(project) : [],
    });
    if (content === undefined) {
      console.log(`${section} ${values.status}: the ${section} section is left as it was`);
      return EXIT.ok;
    }
    try {
      const result = await upsertSection(
        github.octokit,
        {
          owner: github.owner,
          repo: github.repo,
          issueNumber,
          stack: values.stack,
          project: nameOf(project),
        },
        section,
        content,
      );
      console.log(
        `${result.action} comment ${result.commentId} on #${issueNumber} (${section}, ${result.length} characters)`,
      );
    } catch (error) {
      const status = (error as { status?: number }).status;
      if (status === 403 || status === 404) {
        throw new OperationalError(
          `GitHub answered ${status} writing the comment: the job needs "permissions: pull-requests: write" ` +
            "(and a pull request from a fork never gets it)",
        );
      }
      throw error;
    }
    return EXIT.ok;
  });
}
