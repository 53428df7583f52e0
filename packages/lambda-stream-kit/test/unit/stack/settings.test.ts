import type * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { functionSettings, minTimeoutFor, readSettings } from "../../../src/stack/settings.js";
import { FUNCTIONS, functionNamed, SENTENCES } from "../../helpers/project.js";

function config(values: Record<string, string>): pulumi.Config {
  const number = (key: string) => (values[key] === undefined ? undefined : Number(values[key]));
  const boolean = (key: string) => (values[key] === undefined ? undefined : values[key] === "true");
  return {
    get: (key: string) => values[key],
    getNumber: number,
    getBoolean: boolean,
  } as unknown as pulumi.Config;
}

describe("stack settings", () => {
  it("defaults to nodejs24.x, 128 MB, 30 s, 7 days, NONE", () => {
    const settings = readSettings(config({}), "pr-1", {});
    expect(settings).toMatchObject({
      runtime: "nodejs24.x",
      memoryMb: 128,
      timeoutS: 30,
      logRetentionDays: 7,
      authType: "NONE",
    });
    expect(settings.tags).toEqual({
      stack: "pr-1",
      branch: "local",
      repository: "local",
      commit: "local",
      ephemeral: "true",
    });
  });

  it("tags the pushed head, so two runs of an unchanged pull request give the same tags", () => {
    // Each pull_request run gets its own test merge commit as GITHUB_SHA.
    const head = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
    const first = readSettings(config({}), "pr-1", {
      STACK_COMMIT: head,
      GITHUB_SHA: "1111111111111111111111111111111111111111",
    });
    const second = readSettings(config({}), "pr-1", {
      STACK_COMMIT: head,
      GITHUB_SHA: "2222222222222222222222222222222222222222",
    });
    expect(first.tags).toEqual(second.tags);
    expect(first.tags.commit).toBe(head);
    expect(readSettings(config({}), "production", { GITHUB_SHA: "3333" }).tags.commit).toBe("3333");
  });

  it("marks the production stack as not ephemeral", () => {
    expect(readSettings(config({}), "production", {}).tags.ephemeral).toBe("false");
  });

  it("refuses a row whose timeout is shorter than its paced lines take, naming the row and the fix", () => {
    const row = {
      ...functionNamed("stream", FUNCTIONS),
      interval: { ms: 5000, env: "SENTENCE_INTERVAL_MS" },
    };
    const needed = Math.ceil((SENTENCES.length * 5000) / 1000) + 5;
    expect(minTimeoutFor(row)).toBe(needed);
    const settings = readSettings(config({}), "s", {});
    expect(() => functionSettings({ ...row, timeoutS: needed - 1 }, settings)).toThrow(
      `function "stream": timeoutS ${needed - 1} is shorter than its paced lines take (${needed - 5} s at interval.ms 5000) plus 5 s: set timeoutS to ${needed} or more in its row`,
    );
    expect(functionSettings({ ...row, timeoutS: needed }, settings).timeoutS).toBe(needed);
    // A row without paced lines has no floor but Lambda's.
    expect(minTimeoutFor({ name: "x", entry: "x.ts", invokeMode: "BUFFERED" })).toBe(1);
  });

  it.each([
    [{ runtime: "nodejs14.x" }, /config runtime="nodejs14.x" is invalid: one of nodejs22.x, nodejs24.x/],
    [{ runtime: "nodejs18.x" }, /config runtime="nodejs18.x" is invalid/],
    [{ memoryMb: "64" }, /config memoryMb=64 is invalid: 128 to 10240/],
    [{ timeoutS: "0" }, /config timeoutS=0 is invalid: 1 to 900 seconds/],
    [{ logRetentionDays: "10" }, /config logRetentionDays=10 is invalid: one of 1, 3, 5, 7, 14/],
    [{ authType: "PUBLIC" }, /config authType="PUBLIC" is invalid: NONE or AWS_IAM/],
  ])("rejects %j naming the key, what it accepts and how to set it", (values, message) => {
    expect(() => readSettings(config(values as Record<string, string>), "s", {})).toThrow(message);
    expect(() => readSettings(config(values as Record<string, string>), "s", {})).toThrow(
      /pulumi config set/,
    );
  });

  it("makes tag values safe for AWS", () => {
    const settings = readSettings(config({}), "s", {
      STACK_BRANCH: "feat/emoji-🚀#1",
      GITHUB_REPOSITORY: "o/r",
    });
    expect(settings.tags.branch).toBe("feat/emoji-__1");
  });
});
