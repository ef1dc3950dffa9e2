// sharp timing for benchmarks/imaging/run.sh: encoded JPEG bytes -> 224x224 float CHW, one libvips worker.
// sharp resizes with its own kernels and shrinks large JPEGs on load, so its output differs from Pillow's: a speed
// reference only. Prints one JSON object per case: wall-clock and process CPU time (all threads) per image. Usage: node sharp_bench.mjs <min seconds> <min runs> <file>...
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename } from 'node:path';

// sharp is installed with the other reference packages (eng/restore-assets.sh), reachable from eng/references.
const require = createRequire(new URL('../../eng/references/package.json', import.meta.url));
const sharp = require('sharp');

sharp.concurrency(1);
sharp.cache(false);

async function pipeline(data, kernel) {
  const { data: rgb } = await sharp(data).rotate().resize(224, 224, { fit: 'fill', kernel }).removeAlpha().raw()
    .toBuffer({ resolveWithObject: true });
  const plane = 224 * 224;
  const out = new Float32Array(3 * plane);
  for (let p = 0; p < plane; p++) {
    out[p] = rgb[p * 3] / 127.5 - 1;
    out[plane + p] = rgb[p * 3 + 1] / 127.5 - 1;
    out[2 * plane + p] = rgb[p * 3 + 2] / 127.5 - 1;
  }
  return out;
}

const [minSeconds, minRuns, ...files] = process.argv.slice(2);
for (const file of files) {
  const data = readFileSync(file);
  for (const [name, kernel] of [['Bilinear', 'linear'], ['Bicubic', 'cubic']]) {
    await pipeline(data, kernel);
    const times = [];
    const cpu = [];
    const start = performance.now();
    while (times.length < Number(minRuns) || performance.now() - start < Number(minSeconds) * 1000) {
      const t = performance.now();
      const c = process.cpuUsage();
      await pipeline(data, kernel);
      const used = process.cpuUsage(c);
      cpu.push((used.user + used.system) / 1000);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    cpu.sort((a, b) => a - b);
    console.log(JSON.stringify({ lib: `sharp ${sharp.versions.sharp} (libvips ${sharp.versions.vips})`, image: basename(file), resample: name,
      median_ms: times[Math.floor(times.length / 2)], min_ms: times[0], cpu_median_ms: cpu[Math.floor(cpu.length / 2)], runs: times.length }));
  }
}
