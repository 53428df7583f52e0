// Destroys and removes one stack:
//   tsx scripts/teardown.ts (--branch B | --stack S | --target BRANCH_OR_STACK | --github-event) [--confirm S]
import { appendFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { EXIT, parseFlags, runMain, UsageError } from "./lib/cli.js";
import { readEvent, teardownRequest } from "./lib/github/event.js";
import { listStacks, PulumiError, pulumiRunner, sameStack } from "./lib/pulumi/cli.js";
import { stackNameForBranch } from "./lib/pulumi/stack-name.js";
import { RefusedError, teardown } from "./lib/pulumi/teardown.js";

const USAGE =
  "usage: tsx scripts/teardown.ts (--branch B | --stack S | --target BRANCH_OR_STACK | --github-event) [--confirm S] [--default-branch main]";
const INFRA = fileURLToPath(new URL("../infra", import.meta.url));

async function output(values: Record<string, string | number | undefined>): Promise<void> {
  if (!process.env.GITHUB_OUTPUT) return;
  const lines = Object.entries(values).map(([key, value]) => `${key}=${value ?? ""}\n`);
  await appendFile(process.env.GITHUB_OUTPUT, lines.join(""));
}

await runMain("teardown", async () => {
  const values = parseFlags(
    process.argv.slice(2),
    {
      branch: { type: "string" },
      stack: { type: "string" },
      target: { type: "string" },
      "github-event": { type: "boolean", default: false },
      confirm: { type: "string" },
      "default-branch": { type: "string", default: process.env.DEFAULT_BRANCH || "main" },
    },
    USAGE,
  );
  const chosen = [values.branch, values.stack, values.target, values["github-event"] || undefined].filter(
    Boolean,
  );
  if (chosen.length !== 1)
    throw new UsageError(`pass exactly one of --branch, --stack, --target and --github-event\n${USAGE}`);
  const pulumi = pulumiRunner(INFRA);
  const defaultBranch = values["default-branch"];

  let branch = values.branch;
  let target = values.target;
  let confirm = values.confirm;
  let pr: number | undefined;
  if (values["github-event"]) {
    const event = await readEvent();
    const request = teardownRequest(event.name, event.payload);
    if (request.kind === "skip") {
      console.log(`nothing to tear down: ${request.reason}`);
      return EXIT.ok;
    }
    if (request.kind === "branch") ({ branch, pr } = request);
    else ({ target, confirm } = request);
  }
  let stack = values.stack ?? (branch ? stackNameForBranch(branch, defaultBranch) : target);
  try {
    if (!values.stack && !branch && target) {
      // A dispatch names a branch or a stack: an existing stack of that name wins.
      const exists = (await listStacks(pulumi)).some((s) => sameStack(s.name, target as string));
      stack = exists ? target : stackNameForBranch(target, defaultBranch);
    }
    const outcome = await teardown(pulumi, {
      stack: stack as string,
      confirm,
      log: (line) => console.log(line),
    });
    await output({ stack, outcome, pr });
    console.log(`${stack}: ${outcome}`);
    return EXIT.ok;
  } catch (error) {
    await output({ stack, outcome: "failure", pr });
    if (error instanceof RefusedError) throw new UsageError(error.message);
    if (error instanceof PulumiError) {
      console.error(error.result.stderr || error.result.stdout);
      console.error(`teardown: ${error.message}`);
      return EXIT.failed;
    }
    throw error;
  }
});
