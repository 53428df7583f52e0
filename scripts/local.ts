// `npm start`: every row of lambda/functions.ts behind its own local Function URL, the Lambda
// API, the demo page, and the stream check (`-- --once` exits with its verdict). `serve` runs
// one handler file. Thin over the kit's emulator (packages/lambda-stream-kit, README there).
import { main } from "lambda-stream-kit/commands/local";
import { FUNCTIONS } from "../lambda/functions.js";

await main(process.argv.slice(2), { functions: FUNCTIONS });
