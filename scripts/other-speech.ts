// Runs the README's two commands, `npm test` and `npm start -- --once`, on a copy of this
// checkout whose speech is other sentences: adapting the text must need no other edit.
import { $ } from "zx/core";
import { REPO_ROOT } from "../lambda/contract.js";
import { MIN_SENTENCES, SENTENCES } from "../lambda/src/speech.js";
import { EXIT, integer, parseFlags, runMain } from "./lib/cli.js";
import { copyCheckout, otherSentences, removeCopy, SPEECH_FILE, swapSentences } from "./lib/other-speech.js";

const USAGE = "usage: tsx scripts/other-speech.ts [--sentences N] [--keep]";
const DEFAULT_SENTENCES = 4;

await runMain("other-speech", async () => {
  const values = parseFlags(
    process.argv.slice(2),
    {
      sentences: {
        type: "string",
        default: String(DEFAULT_SENTENCES),
        description: `how many other sentences, ${MIN_SENTENCES} (the fewest a speech may have) to 60`,
      },
      keep: { type: "boolean", description: "keep the copy (its path is printed) instead of removing it" },
    },
    USAGE,
  );
  const count = integer("sentences", values.sentences, MIN_SENTENCES, 60);
  const dir = await copyCheckout(REPO_ROOT);
  try {
    await swapSentences(dir, otherSentences(count, SENTENCES));
    console.log(`other-speech: ${SPEECH_FILE} holds ${count} other sentences in ${dir}`);
    const run = $({ cwd: dir, nothrow: true, stdio: "inherit", verbose: false });
    const tested = await run`npm test`;
    const started = await run`npm start -- --once`;
    console.log(
      `other-speech: npm test exited ${tested.exitCode}, npm start -- --once exited ${started.exitCode}`,
    );
    return tested.exitCode === 0 && started.exitCode === 0 ? EXIT.ok : EXIT.failed;
  } finally {
    if (values.keep) console.log(`other-speech: kept ${dir}`);
    else await removeCopy(dir);
  }
});
