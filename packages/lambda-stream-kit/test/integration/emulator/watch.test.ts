import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { serveFunction } from "../../../src/emulator/emulator.js";
import { watchFunction } from "../../../src/emulator/watch.js";
import { send, waitFor } from "../../helpers/http.js";
import { FIXTURE_ROOT, type FunctionSpec, KIT_ROOT } from "../../helpers/project.js";

// A handler and the module it imports, in a scratch folder inside the repository (rows
// name their entry relative to the root), edited while a stream is in flight.
const dir = join(FIXTURE_ROOT, "dist/test-watch", String(process.pid));
const message = join(dir, "message.ts");
mkdirSync(dir, { recursive: true });
writeFileSync(message, 'export const VERSION = "v1";\n');
writeFileSync(
  join(dir, "handler.ts"),
  `import { streamify } from "${relative(dir, join(KIT_ROOT, "src/handler/streamify.js"))}";
import { VERSION } from "./message.js";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export const handler = streamify(async (_event, stream) => {
  stream.setContentType("text/plain");
  for (let i = 0; i < 4; i++) {
    if (i > 0) await sleep(250);
    stream.write(\`\${VERSION} \${i}\\n\`);
  }
  stream.end();
});
`,
);
const ROW: FunctionSpec = {
  name: "watched",
  entry: relative(FIXTURE_ROOT, join(dir, "handler.ts")),
  invokeMode: "RESPONSE_STREAM",
};
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("watch mode", () => {
  it("finishes a stream in flight on the old code, serves new invocations the new code, and survives a compile error", async () => {
    const fn = await serveFunction({
      name: ROW.name,
      function: ROW,
      invokeMode: ROW.invokeMode,
      runtime: "builtin",
      log: () => {},
    });
    const lines: string[] = [];
    const watcher = watchFunction(fn, (line) => lines.push(line), 30);
    try {
      expect(lines[0]).toMatch(/^watching .*message\.ts/);
      expect(lines[0]).toMatch(/handler\.ts/);
      let firstLine: () => void = () => {};
      const started = new Promise<void>((resolve) => {
        firstLine = resolve;
      });
      const inFlight = send(fn.url, { onChunk: () => firstLine() });
      // The first line is out: the invocation is running on v1.
      await started;
      writeFileSync(message, 'export const VERSION = "v2";\n');
      await waitFor(() => lines.find((l) => l.startsWith("rebuilt")), 10_000, "the rebuild line");
      const fresh = await send(fn.url);
      const old = await inFlight;
      expect(old.body.toString()).toBe("v1 0\nv1 1\nv1 2\nv1 3\n");
      expect(fresh.body.toString()).toBe("v2 0\nv2 1\nv2 2\nv2 3\n");
      expect(lines.filter((l) => l.startsWith("rebuilt"))).toHaveLength(1);

      writeFileSync(message, 'export const VERSION = "v3"\nexport const = ;\n');
      const error = await waitFor(
        () => lines.find((l) => l.startsWith("rebuild failed")),
        10_000,
        "the compile error",
      );
      expect(error).toMatch(/rebuild failed, still serving the last good build: .*message\.ts:2:\d+: /);
      expect((await send(fn.url)).body.toString()).toBe("v2 0\nv2 1\nv2 2\nv2 3\n");
    } finally {
      watcher.close();
      await fn.close();
    }
  }, 60_000);
});
