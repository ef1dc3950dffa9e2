// transformers.js end to end, the peer a JavaScript user would pick: offline, fp32, CPU, the ONNX Runtime threads
// given. Prints one JSON line per configuration.
//   node tjs_e2e.mjs vision --model-dir DIR --images a.jpg,b.jpg --count N --batch B [--threads 2] [timing options]
//     JPEG bytes in memory -> RawImage.fromBlob (sharp) -> AutoProcessor -> SiglipVisionModel -> pooler_output ->
//     L2-normalized vector, N images (the files cycled) in batches of B.
//   node tjs_e2e.mjs text --model-dir DIR --texts texts.json --batch B [--threads 2] [timing options]
//     AutoTokenizer (padding to the longest in the batch, truncation) -> AutoModel -> sentence_embedding, every text
//     in batches of B.
// Timing options: --warmup 1 (passes), --min-runs 3 (passes), --min-seconds 5. A pass embeds every item once.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { measure, parseOptions } from './timing.mjs';

const require = createRequire(new URL('../../eng/references/package.json', import.meta.url));
const tjs = require('@huggingface/transformers');
const sharp = require('sharp');
const tjsVersion = tjs.env.version;
const { env, AutoProcessor, AutoTokenizer, AutoModel, SiglipVisionModel, RawImage } = tjs;

const [mode, ...rest] = process.argv.slice(2);
const args = parseOptions(rest);
const threads = Number(args.threads ?? 2);
const batch = Number(args.batch ?? 1);
const warmup = Number(args.warmup ?? 1);
const minRuns = Number(args['min-runs'] ?? 3);
const minSeconds = Number(args['min-seconds'] ?? 5);
const modelDir = path.resolve(args['model-dir']);

env.allowRemoteModels = false;
env.allowLocalModels = true;
env.localModelPath = path.dirname(modelDir) + path.sep;
const modelId = path.basename(modelDir);
// The same thread budget as the other side: ONNX Runtime's intra-op pool, and sharp's (libvips) workers.
sharp.concurrency(threads);
const options = { dtype: 'fp32', device: 'cpu', session_options: { intraOpNumThreads: threads, interOpNumThreads: 1 } };
const normalizeRows = (t) => {
  const [n, d] = t.dims;
  const out = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += t.data[i * d + j] ** 2;
    const inv = 1 / Math.max(Math.sqrt(s), 1e-12);
    for (let j = 0; j < d; j++) out[i * d + j] = t.data[i * d + j] * inv;
  }
  return out;
};

let embedPass;
let items;
let extra = {};
const loadStart = performance.now();
if (mode === 'vision') {
  const files = args.images.split(',');
  const bytes = files.map((f) => fs.readFileSync(f));
  const count = Number(args.count ?? files.length);
  items = Array.from({ length: count }, (_, i) => bytes[i % bytes.length]);
  const processor = await AutoProcessor.from_pretrained(modelId);
  const model = await SiglipVisionModel.from_pretrained(modelId, options);
  embedPass = async () => {
    for (let start = 0; start < items.length; start += batch) {
      const images = await Promise.all(items.slice(start, start + batch).map((b) => RawImage.fromBlob(new Blob([b]))));
      const inputs = await processor(images);
      const { pooler_output: pooled } = await model(inputs);
      normalizeRows(pooled);
    }
  };
  extra = { images: files.map((f) => path.basename(f)) };
} else if (mode === 'text') {
  items = JSON.parse(fs.readFileSync(args.texts, 'utf8'));
  const tokenizer = await AutoTokenizer.from_pretrained(modelId);
  const model = await AutoModel.from_pretrained(modelId, options);
  const tokens = [];
  embedPass = async () => {
    for (let start = 0; start < items.length; start += batch) {
      const inputs = tokenizer(items.slice(start, start + batch), { padding: true, truncation: true });
      const { sentence_embedding: embedding } = await model(inputs);
      if (embedding.dims[0] !== Math.min(batch, items.length - start)) throw new Error('wrong batch');
      if (tokens.length < items.length) {
        const [n, s] = inputs.attention_mask.dims;
        for (let i = 0; i < n; i++) {
          let c = 0;
          for (let j = 0; j < s; j++) c += Number(inputs.attention_mask.data[i * s + j]);
          tokens.push(c);
        }
      }
    }
  };
  extra = { token_counts: tokens };
} else {
  console.error('usage: node tjs_e2e.mjs vision|text --model-dir DIR ...');
  process.exit(2);
}
const loadMs = performance.now() - loadStart;

const timed = await measure(embedPass, { warmup, minRuns, minSeconds });
console.log(JSON.stringify({
  side: 'peer', kind: `e2e-${mode}`, runtime: `transformers.js ${tjsVersion} (node ${process.versions.node})`, model: modelId, threads, batch,
  items: items.length, load_ms: loadMs, ...timed, ...extra,
}));
