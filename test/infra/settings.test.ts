import type * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { minTimeoutFor, readSettings } from "../../infra/settings.js";
import { SENTENCES, speechDurationMs } from "../../lambda/src/speech.js";

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
  it("defaults to nodejs24.x, 128 MB, 30 s (or the speech's length + 5 s), 7 days, NONE, 1000 ms", () => {
    const settings = readSettings(config({}), "pr-1", {});
    expect(settings).toMatchObject({
      runtime: "nodejs24.x",
      memoryMb: 128,
      timeoutS: Math.max(30, minTimeoutFor(1000)),
      logRetentionDays: 7,
      authType: "NONE",
      sentenceIntervalMs: 1000,
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

  it("refuses a timeout too short for the whole speech at the configured interval", () => {
    const speechS = Math.ceil(speechDurationMs(5000) / 1000);
    expect(() =>
      readSettings(config({ sentenceIntervalMs: "5000", timeoutS: String(speechS) }), "s", {}),
    ).toThrow(
      `config timeoutS=${speechS} is invalid: ${speechS + 5} to 900 seconds (the speech takes ${speechS} s at this interval)`,
    );
    const enough = String(speechS + 5);
    expect(readSettings(config({ sentenceIntervalMs: "5000", timeoutS: enough }), "s", {}).timeoutS).toBe(
      speechS + 5,
    );
  });

  it("derives an unset timeout that covers the whole speech, whatever its length", () => {
    const timeout = readSettings(config({ sentenceIntervalMs: "5000" }), "s", {}).timeoutS;
    expect(timeout).toBe(Math.max(30, minTimeoutFor(5000)));
    expect(timeout * 1000).toBeGreaterThanOrEqual(SENTENCES.length * 5000);
  });

  it.each([
    [{ runtime: "nodejs14.x" }, /config runtime="nodejs14.x" is invalid: one of nodejs22.x, nodejs24.x/],
    [{ runtime: "nodejs18.x" }, /config runtime="nodejs18.x" is invalid/],
    [{ memoryMb: "64" }, /config memoryMb=64 is invalid: 128 to 10240/],
    [{ timeoutS: "0" }, new RegExp(`config timeoutS=0 is invalid: ${minTimeoutFor(1000)} to 900 seconds`)],
    [{ logRetentionDays: "10" }, /config logRetentionDays=10 is invalid: one of 1, 3, 5, 7, 14/],
    [{ authType: "PUBLIC" }, /config authType="PUBLIC" is invalid: NONE or AWS_IAM/],
    [{ sentenceIntervalMs: "20000" }, /config sentenceIntervalMs=20000 is invalid: 0 to 10000/],
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
