import { copyFile, lstat, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { $ } from "zx/core";
import { UsageError } from "./cli.js";

/**
 * The template promises that replacing the speech with other sentences (any count from
 * MIN_SENTENCES) leaves the suite and `npm start -- --once` green with no other edit. This
 * proves it on a copy of the checkout whose lambda/src/speech.ts holds other sentences.
 */

/** Where the sentences live, relative to the repository root. */
export const SPEECH_FILE = "lambda/src/speech.ts";

const PANGRAMS = [
  "The quick brown fox jumps over the lazy dog.",
  "Sphinx of black quartz, judge my vow.",
  "Pack my box with five dozen liquor jugs.",
  "How vexingly quick daft zebras jump!",
  "Jackdaws love my big sphinx of quartz.",
  "The five boxing wizards jump quickly.",
];

/** `count` distinct one-line sentences, none of them one of `avoid` (the speech there is now). */
export function otherSentences(count: number, avoid: readonly string[] = []): string[] {
  const taken = new Set(avoid);
  const sentences: string[] = [];
  for (let i = 0; sentences.length < count; i++) {
    const pangram = PANGRAMS[i % PANGRAMS.length] as string;
    const round = Math.floor(i / PANGRAMS.length);
    const sentence = round === 0 ? pangram : `${pangram.slice(0, -1)}, round ${round + 1}.`;
    if (!taken.has(sentence)) sentences.push(sentence);
  }
  return sentences;
}

const SENTENCES_LITERAL = /export const SENTENCES: readonly string\[\] = Object\.freeze\(\[\n[\s\S]*?\n\]\);/;

/** speech.ts's source with its SENTENCES replaced; refuses a file whose list it cannot find. */
export function withSentences(source: string, sentences: readonly string[]): string {
  if (!SENTENCES_LITERAL.test(source))
    throw new UsageError(
      `${SPEECH_FILE} has no "export const SENTENCES: readonly string[] = Object.freeze([ … ]);" to replace: keep that declaration's shape`,
    );
  const items = sentences.map((sentence) => `  ${JSON.stringify(sentence)},`).join("\n");
  return source.replace(
    SENTENCES_LITERAL,
    () => `export const SENTENCES: readonly string[] = Object.freeze([\n${items}\n]);`,
  );
}

/**
 * A copy of the checkout as it is now (tracked and untracked files git does not ignore,
 * edits included), with node_modules linked rather than copied. Returns its directory.
 */
export async function copyCheckout(root: string): Promise<string> {
  const listed = await $({
    cwd: root,
    quiet: true,
    verbose: false,
  })`git ls-files -z --cached --others --exclude-standard`;
  const dest = await mkdtemp(join(tmpdir(), "other-speech-"));
  for (const file of listed.stdout.split("\0").filter(Boolean)) {
    // A tracked file deleted in the work tree is not part of the checkout as it is now.
    const stat = await lstat(join(root, file)).catch(() => undefined);
    if (!stat?.isFile()) continue;
    await mkdir(dirname(join(dest, file)), { recursive: true });
    await copyFile(join(root, file), join(dest, file));
  }
  await symlink(join(root, "node_modules"), join(dest, "node_modules"), "dir");
  // A git work tree with every file staged, as a clone is: tests that ask git about the
  // checkout (this script's own among them) find one. The node_modules link is not a
  // directory, so .gitignore's `node_modules/` would not keep it out.
  await $({ cwd: dest, quiet: true, verbose: false })`git init -q && git add -A -- . ':!node_modules'`;
  return dest;
}

/** Swaps the copy's sentences. */
export async function swapSentences(dir: string, sentences: readonly string[]): Promise<void> {
  const file = join(dir, SPEECH_FILE);
  await writeFile(file, withSentences(await readFile(file, "utf8"), sentences));
}

export async function removeCopy(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
