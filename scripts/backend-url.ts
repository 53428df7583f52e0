// Prints the state backend URL for one tier (branch stacks or production), for the setup
// action's `pulumi login`: tsx scripts/backend-url.ts --tier branches|production <url>
import { EXIT, parseFlagsWithPositionals, runMain, UsageError } from "./lib/cli.js";
import { STATE_TIERS, type StateTier, tierBackendUrl } from "./lib/pulumi/backend-url.js";

const USAGE = `usage: tsx scripts/backend-url.ts --tier ${STATE_TIERS.join("|")} <backend url>`;

await runMain("backend-url", async () => {
  const { values, positionals } = parseFlagsWithPositionals(
    process.argv.slice(2),
    { tier: { type: "string", description: `whose state: ${STATE_TIERS.join(" or ")}` } },
    USAGE,
  );
  const tier = values.tier as StateTier;
  if (!STATE_TIERS.includes(tier)) {
    throw new UsageError(`--tier ${JSON.stringify(values.tier ?? "")}: expected ${STATE_TIERS.join(" or ")}`);
  }
  const [url, ...rest] = positionals;
  if (!url || rest.length > 0)
    throw new UsageError("give exactly one backend URL, e.g. s3://bucket?region=eu-west-1");
  console.log(tierBackendUrl(url, tier));
  return EXIT.ok;
});
