// A branch stack's deployments on GitHub: the link the pull request shows ("View deployment"),
// recorded after each deploy and marked inactive by the teardown. Thin over the kit.
import { main } from "lambda-stream-kit/commands/deployments";
import { FUNCTIONS } from "../lambda/functions.js";

await main(process.argv.slice(2), { functions: FUNCTIONS });
