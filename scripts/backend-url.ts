// The state backend URL for one deploy tier (branches or production): the setup action's login.
// Thin over the kit (lambda-stream-kit); the Pulumi program it runs in is infra/.
import { main } from "lambda-stream-kit/commands/backend-url";

await main(process.argv.slice(2));
