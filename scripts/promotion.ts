// Production's promotion decisions for the deploy workflow (promote, keep, roll back), from the
// checks' verdicts and the stack's versions. Thin over the kit (lambda-stream-kit).
import { main } from "lambda-stream-kit/commands/promotion";

await main(process.argv.slice(2));
