// Records each production deploy's cost per 1,000 requests on its deployment, and reads the last one back.
// Thin over the kit (lambda-stream-kit); the Pulumi program it runs in is infra/.
import { main } from "lambda-stream-kit/commands/costs";

await main(process.argv.slice(2));
