// The two-hop floor: the baseline server in a process of its own, behind a bare node:http
// relay that passes each chunk on as it comes. The emulator has the same process boundary
// (runtime client -> Runtime API -> Function URL), so this is what any design with a separate
// function process costs; the emulator is measured against it as well as against the baseline.
// Start: tsx relay-server.ts <handler.mjs> -> prints its URL.
import { spawn } from "node:child_process";
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";

const [file] = process.argv.slice(2);
if (!file) throw new Error("usage: relay-server.ts <handler module>");
const upstream = spawn(
  process.execPath,
  ["--import", "tsx", join(import.meta.dirname, "baseline-server.ts"), file],
  {
    stdio: ["ignore", "pipe", "inherit"],
  },
);
const origin = await new Promise<string>((resolve, reject) => {
  let out = "";
  upstream.stdout.on("data", (data) => {
    out += data;
    const match = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
    if (match) resolve(match[0]);
  });
  upstream.once("exit", (code) => reject(new Error(`baseline exited (${code})`)));
});

const server = createServer((req, res) => {
  const up = request(new URL(req.url ?? "/", origin), { method: req.method }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, { "content-type": answer.headers["content-type"] ?? "" });
    answer.on("data", (chunk: Buffer) => {
      if (!res.write(chunk)) answer.pause();
    });
    res.on("drain", () => answer.resume());
    answer.on("end", () => res.end());
  });
  up.on("error", () => res.destroy());
  req.pipe(up);
});
server.listen(0, "127.0.0.1", () => {
  console.log(`relay at http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
});
process.once("SIGTERM", () => {
  upstream.kill("SIGTERM");
  server.close(() => process.exit(0));
});
