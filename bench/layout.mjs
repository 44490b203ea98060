// Produces the stick image of an ISO into a file with a plain writer loop and prints one JSON
// line: seconds, bytes written, MB/s, peak RSS. Usage: node bench/layout.mjs ISO OUT [TARGET_GIB] [reuse]
// (`reuse`: chunks({ reuseBuffers: true }) — recycled chunk buffers.)
import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const engine = require('../build/electron/engine/index.js');
const [iso, out, gib = '8', mode = 'fresh'] = process.argv.slice(2);
const t0 = process.hrtime.bigint();
const stick = await engine.createWindowsStick(iso, { targetSize: Number(gib) * 1024 ** 3 });
const fd = openSync(out, 'w');
ftruncateSync(fd, stick.stream.size);
let bytes = 0;
let chunks = 0;
for await (const c of stick.stream.chunks(undefined, { reuseBuffers: mode === 'reuse' })) {
  let done = 0;
  while (done < c.data.length) done += writeSync(fd, c.data, done, c.data.length - done, c.offset + done);
  bytes += c.data.length;
  chunks++;
}
closeSync(fd);
await stick.close();
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
const rssMiB = process.resourceUsage().maxRSS / 1024;
console.log(JSON.stringify({ mode, seconds, bytes, chunks, mbPerSecond: bytes / 1e6 / seconds, peakRssMiB: Math.round(rssMiB), uefiBoot: stick.uefiBoot, clusterSize: stick.plan.clusterSize }));
