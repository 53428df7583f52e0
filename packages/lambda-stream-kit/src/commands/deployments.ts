// A branch stack's deployments on GitHub (the link a pull request shows):
//   lambda-stream-deployments record --stack S --sha SHA --url URL
//   lambda-stream-deployments deactivate --stack S
//   lambda-stream-deployments url --urls-json '{"<row>":"<url>",...}'   (the first streaming row's URL)
import { EXIT, OperationalError, parseFlagsWithPositionals, runMain, UsageError } from "../cli.js";
import { githubFromEnv } from "../github/context.js";
import { branchEnvironment, deactivateEnvironment, recordDeployment } from "../github/deployments.js";
import { functionsOf, type ProjectInput } from "../project.js";
import { outputObject } from "../stack-outputs.js";

const USAGE = `usage: lambda-stream-deployments record --stack S --sha SHA --url URL | deactivate --stack S | url --urls-json JSON`;

/** The command; `argv` without node and the script, `project` what the caller knows of it. */
export function main(argv: string[] = process.argv.slice(2), project: ProjectInput = {}): Promise<void> {
  return runMain("deployments", async () => {
    const { values, positionals } = parseFlagsWithPositionals(
      argv,
      {
        stack: { type: "string", description: "the branch's stack" },
        sha: { type: "string", description: "record: the commit deployed" },
        url: { type: "string", description: "record: the URL the deployment links to" },
        "urls-json": { type: "string", description: "url: the stack's urls output" },
      },
      USAGE,
    );
    const [action] = positionals;
    if (positionals.length !== 1 || !["record", "deactivate", "url"].includes(action ?? ""))
      throw new UsageError("expected one action: record, deactivate or url (see --help)");
    if (action === "url") {
      if (!values["urls-json"]) throw new UsageError("url needs --urls-json (the stack's urls output)");
      const urls = outputObject("urls-json", values["urls-json"], {
        output: "urls",
        what: "function name to URL",
        example: '{"stream":"https://…"}',
      });
      const functions = await functionsOf(project);
      const streamed = functions.find(
        (fn) => fn.invokeMode === "RESPONSE_STREAM" && typeof urls[fn.name] === "string",
      );
      const chosen = streamed ? urls[streamed.name] : Object.values(urls).find((u) => typeof u === "string");
      console.log(chosen ?? "");
      return EXIT.ok;
    }
    if (!values.stack) throw new UsageError(`${action} needs --stack (see --help)`);
    const github = githubFromEnv();
    const target = { owner: github.owner, repo: github.repo, environment: branchEnvironment(values.stack) };
    try {
      if (action === "record") {
        if (!values.sha || !values.url) throw new UsageError("record needs --sha and --url (see --help)");
        const id = await recordDeployment(github.octokit, target, {
          sha: values.sha,
          url: values.url,
          logUrl: github.runUrl,
        });
        console.log(`deployment ${id} of ${target.environment}: ${values.url}`);
      } else {
        const count = await deactivateEnvironment(github.octokit, target);
        console.log(`${count} deployment(s) of ${target.environment} marked inactive`);
      }
    } catch (error) {
      const status = (error as { status?: number }).status;
      if (status === 403 || status === 404)
        throw new OperationalError(
          `GitHub answered ${status} on the deployments API: the job needs "permissions: deployments: write"`,
        );
      throw error;
    }
    return EXIT.ok;
  });
}
