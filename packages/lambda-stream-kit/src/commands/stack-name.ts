// Prints the Pulumi stack name for a branch: `lambda-stream-stack-name <branch> [--default-branch main] [--org O]`.
import { EXIT, parseFlagsWithPositionals, runMain, UsageError } from "../cli.js";
import type { ProjectInput } from "../project.js";
import { qualifiedStack, stackNameForBranch } from "../pulumi/stack-name.js";

const USAGE = "usage: lambda-stream-stack-name <branch> [--default-branch main] [--qualified --org O]";

/** The command; `argv` without node and the script, `project` what the caller knows of it. */
export function main(argv: string[] = process.argv.slice(2), _project: ProjectInput = {}): Promise<void> {
  return runMain("stack-name", async () => {
    const { values, positionals } = parseFlagsWithPositionals(
      argv,
      {
        "default-branch": {
          type: "string",
          default: process.env.DEFAULT_BRANCH || "main",
          description: "the branch that maps to the production stack (env DEFAULT_BRANCH)",
        },
        qualified: {
          type: "boolean",
          default: false,
          description: "print <org>/<stack> when an organisation is set (what Pulumi Cloud commands take)",
        },
        org: {
          type: "string",
          default: process.env.PULUMI_ORG ?? "",
          description: "the Pulumi Cloud organisation (env PULUMI_ORG; empty: the S3 backend)",
        },
      },
      USAGE,
    );
    if (positionals.length !== 1 || !positionals[0])
      throw new UsageError(`expected exactly one branch name (see --help)`);
    try {
      const stack = stackNameForBranch(positionals[0], values["default-branch"]);
      console.log(values.qualified ? qualifiedStack(stack, values.org || undefined) : stack);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    return EXIT.ok;
  });
}
