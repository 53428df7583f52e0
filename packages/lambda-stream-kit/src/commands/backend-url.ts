// Prints the state backend URL for one tier (branch stacks or production), for the setup
// action's `pulumi login`: lambda-stream-backend-url --tier branches|production <url>
import { EXIT, parseFlagsWithPositionals, runMain, UsageError } from "../cli.js";
import type { ProjectInput } from "../project.js";
import { STATE_TIERS, type StateTier, tierBackendUrl } from "../pulumi/backend-url.js";

const USAGE = `usage: lambda-stream-backend-url --tier ${STATE_TIERS.join("|")} <backend url>`;

/** The command; `argv` without node and the script, `project` what the caller knows of it. */
export function main(argv: string[] = process.argv.slice(2), _project: ProjectInput = {}): Promise<void> {
  return runMain("backend-url", async () => {
    const { values, positionals } = parseFlagsWithPositionals(
      argv,
      { tier: { type: "string", description: `whose state: ${STATE_TIERS.join(" or ")}` } },
      USAGE,
    );
    const tier = values.tier as StateTier;
    if (!STATE_TIERS.includes(tier)) {
      throw new UsageError(
        `--tier ${JSON.stringify(values.tier ?? "")}: expected ${STATE_TIERS.join(" or ")}`,
      );
    }
    const [url, ...rest] = positionals;
    if (!url || rest.length > 0)
      throw new UsageError("give exactly one backend URL, e.g. s3://bucket?region=eu-west-1");
    console.log(tierBackendUrl(url, tier));
    return EXIT.ok;
  });
}
