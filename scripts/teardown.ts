// Destroys one branch's stack (never production): what Teardown runs on PR close, branch delete and dispatch.
// Thin over the kit (lambda-stream-kit); the Pulumi program it runs in is infra/.
import { main } from "lambda-stream-kit/commands/teardown";

await main(process.argv.slice(2));
