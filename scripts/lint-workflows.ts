// actionlint and GitHub's own parser over .github/workflows.
// Thin over the kit (lambda-stream-kit); the Pulumi program it runs in is infra/.
import { main } from "lambda-stream-kit/commands/lint-workflows";

await main(process.argv.slice(2));
