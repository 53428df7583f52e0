// The pull request's sticky comment: each stage (preview, deploy, check, teardown) writes its
// section. Thin over the kit; the function table says each URL's invoke mode.
import { main } from "lambda-stream-kit/commands/pr-comment";
import { FUNCTIONS } from "../lambda/functions.js";

await main(process.argv.slice(2), { functions: FUNCTIONS });
