import { type SpawnSyncReturns, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeEach } from "vitest";
import { commandBin, FIXTURE_ROOT } from "./project.js";

/** The stand-in `pulumi` (test/fixtures/bin/pulumi), first on PATH for the scripts under test. */
export const FAKE_BIN = fileURLToPath(new URL("../fixtures/bin", import.meta.url));
const DAY = 86_400_000;
export const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();

export interface FakeStack {
  resources: number;
  lastUpdate: string;
  updateInProgress?: boolean;
  failDestroy?: boolean;
  /** The path in the bucket whose backend URL holds this stack (default: the bucket's root). */
  prefix?: string;
  /** The current credentials may not read its checkpoint (S3 AccessDenied). */
  denied?: boolean;
  /** Its stack outputs (what `pulumi stack output --json` prints). */
  outputs?: Record<string, unknown>;
}

/** One stand-in backend: its state file, and the scripts run against it. */
export interface FakePulumi {
  stateFile: string;
  /** `backend`: the URL `pulumi login` was given (absent: Pulumi Cloud). */
  writeState(stacks: Record<string, FakeStack>, backend?: string): void;
  readState(): { stacks: Record<string, FakeStack>; calls: string[][] };
  script(name: string, args: string[], extraEnv?: Record<string, string>): SpawnSyncReturns<string>;
}

export function fakePulumi(): FakePulumi {
  const stateFile = join(mkdtempSync(join(tmpdir(), "fake-pulumi-")), "state.json");
  return {
    stateFile,
    writeState: (stacks, backend) =>
      writeFileSync(stateFile, JSON.stringify({ stacks, calls: [], ...(backend ? { backend } : {}) })),
    readState: () => JSON.parse(readFileSync(stateFile, "utf8")),
    script: (name, args, extraEnv = {}) =>
      spawnSync(process.execPath, [commandBin(name), ...args], {
        cwd: FIXTURE_ROOT,
        encoding: "utf8",
        env: {
          ...process.env,
          PATH: `${FAKE_BIN}${delimiter}${process.env.PATH}`,
          FAKE_PULUMI_STATE: stateFile,
          GITHUB_OUTPUT: "",
          GITHUB_STEP_SUMMARY: "",
          GITHUB_TOKEN: "",
          DEFAULT_BRANCH: "main",
          ...extraEnv,
        },
      }),
  };
}

/**
 * A fresh stand-in backend before each test of the calling file, and its helpers bound to
 * whichever backend the running test has.
 */
export function useFakePulumi() {
  let fake: FakePulumi | undefined;
  beforeEach(() => {
    fake = fakePulumi();
  });
  const current = () => {
    if (!fake) throw new Error("useFakePulumi: no test is running");
    return fake;
  };
  return {
    stateFile: () => current().stateFile,
    writeState: (stacks: Record<string, FakeStack>, backend?: string) =>
      current().writeState(stacks, backend),
    readState: () => current().readState(),
    script: (name: string, args: string[], extraEnv: Record<string, string> = {}) =>
      current().script(name, args, extraEnv),
  };
}
