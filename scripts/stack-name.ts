// Prints the Pulumi stack name for a branch (production for the default branch).
// Thin over the kit (lambda-stream-kit); the Pulumi program it runs in is infra/.
import { main } from "lambda-stream-kit/commands/stack-name";

await main(process.argv.slice(2));
