import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { UsageError } from "../../../src/cli.js";
import { handlerName, serveFunction } from "../../../src/emulator/emulator.js";
import { chooseNode, nodeMajor, versionOfNode } from "../../../src/emulator/node-binary.js";
import { resolveRuntimeClient } from "../../../src/emulator/runtime-clients.js";
import { LAMBDA_RUNTIMES, runtimeNodeMajor } from "../../../src/runtime.js";
import { send } from "../../helpers/http.js";

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/handlers/${name}`, import.meta.url));
const here = { path: "/opt/node/bin/node", version: "v24.21.0" };

describe("chooseNode", () => {
  it("runs nodejs24.x on a Node 24 and says so plainly", () => {
    expect(chooseNode({ runtime: "nodejs24.x" }, here)).toEqual({
      runtime: "nodejs24.x",
      path: "/opt/node/bin/node",
      version: "v24.21.0",
      matches: true,
      summary: "nodejs24.x on Node v24.21.0",
    });
  });

  it("says in one line when the runtime is emulated on another major", () => {
    const choice = chooseNode({ runtime: "nodejs24.x" }, { path: "/usr/bin/node", version: "v22.11.0" });
    expect(choice.matches).toBe(false);
    expect(choice.path).toBe("/usr/bin/node");
    expect(choice.summary).toBe("nodejs24.x emulated on Node 22.x");
  });

  it("uses --node's binary and its own version when given", () => {
    const choice = chooseNode({ runtime: "nodejs22.x", nodePath: "/n22/bin/node" }, here, () => "v22.20.0");
    expect(choice).toMatchObject({ path: "/n22/bin/node", version: "v22.20.0", matches: true });
  });

  it("reads a real binary's version, and names the flag for a directory or a missing file", () => {
    expect(versionOfNode(process.execPath)).toBe(process.version);
    expect(() => versionOfNode("/")).toThrow(/--node "\/": is a directory/);
    expect(() => versionOfNode("/no/such/node")).toThrow(/--node "\/no\/such\/node": no such file/);
    expect(nodeMajor("v24.1.0")).toBe(24);
  });
});

describe("function instances", () => {
  const current = nodeMajor(process.version);
  const other = LAMBDA_RUNTIMES.find((runtime) => runtimeNodeMajor(runtime) !== current) ?? "nodejs22.x";

  it.each([
    ["matching", `nodejs${current}.x`],
    ["another", other],
  ] as const)("run on this Node and tell the function its runtime (%s major)", async (_, runtime) => {
    const fn = await serveFunction({
      handler: fixture("buffered-router.mjs"),
      invokeMode: "BUFFERED",
      runtime: "builtin",
      lambdaRuntime: runtime as (typeof LAMBDA_RUNTIMES)[number],
      log: () => {},
    });
    try {
      const seen = JSON.parse((await send(`${fn.url}runtime`)).body.toString());
      expect(seen).toEqual({ node: process.version, executionEnv: `AWS_Lambda_${runtime}` });
      expect(fn.node.summary).toBe(
        runtimeNodeMajor(runtime as (typeof LAMBDA_RUNTIMES)[number]) === current
          ? `${runtime} on Node ${process.version}`
          : `${runtime} emulated on Node ${current}.x`,
      );
    } finally {
      await fn.close();
    }
  });
});

describe("a --handler's function name", () => {
  it("comes from its file, as Lambda names functions (not from its folder or a hash)", async () => {
    expect(handlerName("/srv/app/orders-api.mjs#main")).toBe("orders-api");
    expect(handlerName("src/billing.ts")).toBe("billing");
    const fn = await serveFunction({
      handler: fixture("orders-api.mjs"),
      invokeMode: "BUFFERED",
      runtime: "builtin",
      log: () => {},
    });
    try {
      expect(fn.name).toBe("orders-api");
      expect(JSON.parse((await send(fn.url)).body.toString())).toEqual({ name: "orders-api" });
    } finally {
      await fn.close();
    }
  });
});

describe("--runtime ric where the RIC cannot load", () => {
  it("is one usage error naming the real reason, and the default falls back saying why", () => {
    // A node binary whose require of the addon fails, as on a machine that could not build it.
    const dir = mkdtempSync(join(tmpdir(), "no-ric-"));
    const fake = join(dir, "node");
    writeFileSync(
      fake,
      "#!/bin/sh\necho 'node:internal/modules/cjs/loader:1386' >&2\necho \"Error: Cannot find module './rapid-client.node'\" >&2\nexit 1\n",
      { mode: 0o755 },
    );
    expect(() => resolveRuntimeClient("ric", fake)).toThrow(UsageError);
    expect(() => resolveRuntimeClient("ric", fake)).toThrow(
      "--runtime ric: aws-lambda-ric's native addon does not load here (Error: Cannot find module './rapid-client.node'); use --runtime builtin instead",
    );
    const fallback = resolveRuntimeClient(undefined, fake);
    expect(fallback.name).toBe("builtin");
    expect(fallback.reason).toContain("Error: Cannot find module './rapid-client.node'");
  });
});
