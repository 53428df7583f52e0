import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { physicalNames } from "../../infra/naming.js";
import { PREVIOUS_TYPE, URL_FUNCTION_TYPE, UrlFunction } from "../../infra/url-function.js";
import { mockPulumi, outputValue, settle } from "../helpers/pulumi-mocks.js";

const STACK = "production";
mockPulumi("lambda-streaming", STACK, {});

describe("UrlFunction (StreamingFunction before the function table)", () => {
  it("aliases its URN from before the rename, so no deployed resource is replaced", async () => {
    const seen: { name: string; type: string; aliases: unknown[] }[] = [];
    // A transformation sees the resource's own options, aliases included.
    const record: pulumi.ResourceTransformation = (args) => {
      seen.push({ name: args.name, type: args.type, aliases: [...(args.opts.aliases ?? [])] });
      return undefined;
    };
    const fn = new UrlFunction(
      "stream",
      {
        names: physicalNames(STACK, "stream"),
        invokeMode: "RESPONSE_STREAM",
        authType: "NONE",
        code: new pulumi.asset.AssetArchive({}),
        handler: "index.handler",
        runtime: "nodejs24.x",
        memoryMb: 128,
        timeoutS: 30,
        logRetentionDays: 7,
        environment: {},
        tags: {},
      },
      { previousName: "streaming", transformations: [record] },
    );
    await outputValue(fn.url);
    await settle();
    const component = seen.find((r) => r.type === URL_FUNCTION_TYPE);
    expect(component?.aliases).toEqual([{ name: "streaming", type: PREVIOUS_TYPE }]);
    // The URN that alias stands for: what stacks deployed before the rename hold.
    expect(await outputValue(pulumi.createUrn("streaming", PREVIOUS_TYPE))).toBe(
      `urn:pulumi:${STACK}::lambda-streaming::${PREVIOUS_TYPE}::streaming`,
    );
    // Children keep names that start with the component's, so they inherit its alias.
    for (const child of seen.filter((r) => r.type !== URL_FUNCTION_TYPE))
      expect(child.name).toMatch(/^stream-/);
  });
});
