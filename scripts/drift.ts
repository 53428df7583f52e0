// The nightly drift check's report: opens, updates or closes production's drift issue from
// `pulumi preview --refresh --expect-no-changes`. Thin over the kit (lambda-stream-kit).
import { main } from "lambda-stream-kit/commands/drift";

await main(process.argv.slice(2));
