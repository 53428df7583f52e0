import { describe, expect, it } from "vitest";
import { renderSection } from "../../../src/github/sections.js";

describe("the teardown section", () => {
  it.each([
    ["destroyed", /stack destroyed and removed/],
    ["already-gone", /stack gone: nothing is left/],
    ["kept", /stack kept: another open pull request deploys from the same branch/],
    ["failure", /teardown failed: the stack and its state are kept/],
  ])("says what %s means", (status, said) => {
    expect(renderSection("teardown", { status, footer: "", functions: [] })).toMatch(said);
  });

  it("refuses a status it does not know, naming the ones it does", () => {
    expect(() => renderSection("teardown", { status: "gone", footer: "", functions: [] })).toThrow(
      /teardown needs --status destroyed\|already-gone\|kept\|failure/,
    );
  });
});
