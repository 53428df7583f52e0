// The benchmark's function: the same module runs in the emulator (under either runtime
// client) and in the bare node:http baseline, so both do exactly the same writes.
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const now = () => performance.timeOrigin + performance.now();

const write = (stream, chunk) =>
  stream.write(chunk) ? undefined : new Promise((resolve) => stream.once("drain", resolve));

export const handler = awslambda.streamifyResponse(async (event, responseStream) => {
  const q = event.queryStringParameters ?? {};
  responseStream.setContentType("application/octet-stream");
  if (event.rawPath === "/ticks") {
    // n small lines, gap ms apart, each stamped with its write time (epoch ms, µs precision).
    const n = Number(q.n ?? 100);
    const gap = Number(q.gap ?? 5);
    const start = now();
    for (let i = 0; i < n; i++) {
      const due = start + i * gap;
      const wait = due - now();
      if (wait > 0) await sleep(wait);
      await write(responseStream, `${i} ${now().toFixed(3)}\n`);
    }
  } else if (event.rawPath === "/bulk") {
    const total = Number(q.bytes ?? 1_000_000);
    const size = Number(q.chunk ?? 65_536);
    const chunk = Buffer.alloc(size, 120);
    for (let sent = 0; sent < total; sent += size) {
      await write(responseStream, sent + size <= total ? chunk : chunk.subarray(0, total - sent));
    }
  }
  responseStream.end();
});
