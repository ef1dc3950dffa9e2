// The inference floor: onnxruntime-node alone on tensors made once, the peer of the `side inference` case of
// benchmarks/Embeddings.Benchmarks (same session settings, same kind of inputs, same loop). Prints one JSON line per
// configuration. Usage:
//   node ort_inference.mjs --model M.onnx [--threads 2] [--configs 1,8 | 1x16,16x64] [--vocab N] [--warmup 1]
//                          [--min-runs 5] [--min-seconds 5]
import { createRequire } from 'node:module';
import { measure, parseOptions } from './timing.mjs';

const require = createRequire(new URL('../../eng/references/package.json', import.meta.url));
const ort = require('onnxruntime-node');
const ortVersion = require('onnxruntime-node/package.json').version;

const args = parseOptions(process.argv.slice(2));
const threads = Number(args.threads ?? 2);
const vocab = Number(args.vocab ?? 1000);
const warmup = Number(args.warmup ?? 1);
const minRuns = Number(args['min-runs'] ?? 5);
const minSeconds = Number(args['min-seconds'] ?? 5);

// A small seeded generator (mulberry32), so every run feeds the same values.
let seed = 1234;
const random = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const loadStart = performance.now();
const session = await ort.InferenceSession.create(args.model, {
  intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all', executionMode: 'sequential', enableCpuMemArena: false,
});
const loadMs = performance.now() - loadStart;

for (const config of (args.configs ?? '1').split(',')) {
  const [batch, sequence = 0] = config.split('x').map(Number);
  const feeds = {};
  for (const meta of session.inputMetadata) {
    // Dimension 0 is the batch; a dynamic dimension after it is the sequence length.
    const shape = meta.shape.map((d, i) => (i === 0 ? batch : typeof d === 'number' && d >= 0 ? d : sequence));
    if (shape.some((d) => d <= 0)) throw new Error(`input ${meta.name} needs a sequence length: give configurations as BATCHxSEQUENCE`);
    const count = shape.reduce((a, b) => a * b, 1);
    let data;
    if (meta.type === 'float32') data = Float32Array.from({ length: count }, () => random() * 2 - 1);
    else if (meta.name === 'input_ids') data = BigInt64Array.from({ length: count }, () => BigInt(Math.floor(random() * vocab)));
    else if (meta.name === 'attention_mask') data = new BigInt64Array(count).fill(1n);
    else data = new BigInt64Array(count);
    feeds[meta.name] = new ort.Tensor(meta.type, data, shape);
  }
  const run = async () => {
    const out = await session.run(feeds);
    if (out[session.outputNames[session.outputNames.length - 1]].data.length <= 0) throw new Error('unreachable');
  };
  const timed = await measure(run, { warmup, minRuns, minSeconds });
  console.log(JSON.stringify({
    side: 'peer', kind: 'inference', runtime: `onnxruntime-node ${ortVersion} (node ${process.versions.node})`, model: args.model, threads, batch, sequence,
    load_ms: loadMs, ...timed,
  }));
}
await session.release();
