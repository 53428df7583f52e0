// Finds stacks whose branch is gone or that are older than the TTL, and tears them down (Janitor).
// Thin over the kit (lambda-stream-kit); the Pulumi program it runs in is infra/.
import { main } from "lambda-stream-kit/commands/janitor";

await main(process.argv.slice(2));
