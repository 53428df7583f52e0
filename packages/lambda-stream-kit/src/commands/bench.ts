// `npm run bench`: each scenario against the bare node:http baseline and the emulator with
// each runtime client, side by side in one run; writes bench/results.json and .md.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { machine, markdownTable, summarise } from "../bench/report.js";
import {
  accuracyScenario,
  awsLimitsScenario,
  concurrencyScenario,
  FULL,
  latencyScenario,
  type Row,
  SMOKE,
  throughputScenario,
} from "../bench/scenarios.js";
import { EXIT, parseFlags, runMain } from "../cli.js";
import { probeRic } from "../emulator/runtime-clients.js";
import { projectRoot } from "../paths.js";
import type { ProjectInput } from "../project.js";

const USAGE = "usage: lambda-stream-bench [--smoke] [--out bench]";

/** The command; `argv` without node and the script, `project` what the caller knows of it. */
export function main(argv: string[] = process.argv.slice(2), _project: ProjectInput = {}): Promise<void> {
  return runMain("bench", async () => {
    const values = parseFlags(
      argv,
      {
        smoke: { type: "boolean", default: false, description: "one quick pass (not figures to quote)" },
        out: {
          type: "string",
          default: join(projectRoot(), "bench"),
          description: "folder for results.json and results.md",
        },
      },
      USAGE,
    );
    const config = values.smoke ? SMOKE : FULL;
    if (config.kinds.includes("ric") && !("entry" in probeRic())) {
      console.error("bench: aws-lambda-ric does not load here; measuring the built-in client only");
      config.kinds = config.kinds.filter((kind) => kind !== "ric");
    }
    const log = (line: string) => process.stderr.write(`  ${line}\n`);
    const rows: Row[] = [];
    for (const scenario of [
      latencyScenario,
      throughputScenario,
      awsLimitsScenario,
      accuracyScenario,
      concurrencyScenario,
    ]) {
      process.stderr.write(`${scenario.name} …\n`);
      rows.push(...(await scenario(config, log)));
    }
    const summaries = summarise(rows);
    const table = markdownTable(summaries, config.runs);
    const when = new Date().toISOString();
    console.log(
      `\n${table}\n\nMachine: ${machine()}. ${when}${values.smoke ? " (smoke mode: not figures to quote)" : ""}`,
    );
    await mkdir(values.out, { recursive: true });
    await writeFile(
      join(values.out, "results.json"),
      `${JSON.stringify({ when, machine: machine(), config, summaries, rows }, null, 2)}\n`,
    );
    await writeFile(join(values.out, "results.md"), `${table}\n\nMachine: ${machine()}. ${when}\n`);
    return EXIT.ok;
  });
}
