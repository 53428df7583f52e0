import { describe, expect, it } from "vitest";
import { decidePromotion } from "../../src/pulumi/promotion.js";

const before = { stream: "4", buffer: "4" };
const next = { stream: "5", buffer: "5" };

describe("check-gated promotion", () => {
  it("promotes a candidate that passed, naming both versions", () => {
    expect(
      decidePromotion({ stage: "candidate", passed: true, previousLive: before, candidate: next }),
    ).toEqual({
      action: "promote",
      live: next,
      failed: false,
      message:
        "the candidate passed its check: promoting live to stream v5, buffer v5 (from stream v4, buffer v4)",
    });
  });

  it("keeps live where it was when the candidate fails, and says which version production still serves", () => {
    const decision = decidePromotion({
      stage: "candidate",
      passed: false,
      previousLive: before,
      candidate: next,
    });
    expect(decision).toMatchObject({ action: "keep", failed: true });
    expect(decision.live).toBeUndefined();
    expect(decision.message).toBe(
      "the candidate (stream v5, buffer v5) failed its check: live is unchanged and production still serves stream v4, buffer v4",
    );
  });

  it("on the first deploy (no earlier version) says live serves the failing version: fix forward", () => {
    const decision = decidePromotion({
      stage: "candidate",
      passed: false,
      previousLive: undefined,
      candidate: next,
    });
    expect(decision).toMatchObject({ action: "keep", failed: true });
    expect(decision.message).toMatch(/^production's first version failed its check, and live serves it/);
    expect(
      decidePromotion({ stage: "live", passed: false, previousLive: undefined, candidate: next }).message,
    ).toMatch(/no earlier version to roll back to: fix forward$/);
  });

  it("rolls live back to the previous versions when live fails after promotion", () => {
    expect(decidePromotion({ stage: "live", passed: false, previousLive: before, candidate: next })).toEqual({
      action: "rollback",
      live: before,
      failed: true,
      message:
        "live (stream v5, buffer v5) failed its check after promotion: rolling live back to stream v4, buffer v4",
    });
  });

  it("does nothing more when live passes, and never rolls back to the very version that failed", () => {
    expect(
      decidePromotion({ stage: "live", passed: true, previousLive: before, candidate: next }),
    ).toMatchObject({
      action: "done",
      failed: false,
    });
    // An unchanged program republishes nothing: previous and candidate are one version.
    expect(
      decidePromotion({ stage: "live", passed: false, previousLive: next, candidate: next }).action,
    ).toBe("keep");
  });

  it("decides the same with a run queued behind, and says the queued one comes next", () => {
    const decision = decidePromotion({
      stage: "candidate",
      passed: true,
      previousLive: before,
      candidate: next,
      queued: true,
    });
    expect(decision.action).toBe("promote");
    expect(decision.message).toMatch(/\(a newer run is queued: it checks its own candidate next\)$/);
  });
});

describe("check-gated promotion when nothing new was published", () => {
  it("says live already serves the failing version instead of claiming it is unchanged", () => {
    const decision = decidePromotion({
      stage: "candidate",
      passed: false,
      previousLive: next,
      candidate: next,
    });
    expect(decision).toMatchObject({ action: "keep", failed: true });
    expect(decision.message).toMatch(/live already serves that version .*: fix forward$/);
  });
});
