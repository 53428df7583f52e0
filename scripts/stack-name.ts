// Prints the Pulumi stack name for a branch: `tsx scripts/stack-name.ts <branch> [--default-branch main]`.
import { EXIT, parseFlagsWithPositionals, runMain, UsageError } from "./lib/cli.js";
import { stackNameForBranch } from "./lib/pulumi/stack-name.js";

const USAGE = "usage: tsx scripts/stack-name.ts <branch> [--default-branch main]";

await runMain("stack-name", async () => {
  const { values, positionals } = parseFlagsWithPositionals(
    process.argv.slice(2),
    {
      "default-branch": {
        type: "string",
        default: process.env.DEFAULT_BRANCH || "main",
        description: "the branch that maps to the production stack (env DEFAULT_BRANCH)",
      },
    },
    USAGE,
  );
  if (positionals.length !== 1 || !positionals[0])
    throw new UsageError(`expected exactly one branch name (see --help)`);
  try {
    console.log(stackNameForBranch(positionals[0], values["default-branch"]));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return EXIT.ok;
});
