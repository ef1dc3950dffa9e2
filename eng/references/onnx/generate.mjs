// Runs every generated tiny model with onnxruntime-node on deterministic inputs and writes the inputs, the outputs
// (raw little-endian binaries) and a JSON index, which the binding's parity tests feed through the C# binding.
//   node generate.mjs <models-root> <out-dir>
import fs from 'node:fs';
import path from 'node:path';
import ort from 'onnxruntime-node';

const [modelsRoot, outDir] = process.argv.slice(2);
if (!modelsRoot || !outDir) {
  console.error('usage: node generate.mjs <models-root> <out-dir>');
  process.exit(2);
}

// The session settings the C# tests use too: one thread, so results do not depend on work partitioning.
export const sessionOptions = {
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
  graphOptimizationLevel: 'all',
  executionMode: 'sequential',
  enableCpuMemArena: false,
};

// Sizes given to dynamic dimensions, by symbolic name; anything else gets 2.
const dimensionSizes = { sequence_length: 7, sequence: 7, seq: 7, seq_len: 7, num_tokens: 7 };

function findModels(dir) {
  const found = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findModels(full));
    else if (entry.name.endsWith('.onnx')) found.push(full);
  }
  return found;
}

// mulberry32: a small seeded generator, so every run writes the same inputs.
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function seedOf(text) {
  let h = 2166136261;
  for (const c of text) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return h;
}

function makeInput(meta, modelKey) {
  const shape = meta.shape.map((d) => (typeof d === 'number' && d >= 0 ? d : dimensionSizes[d] ?? 2));
  const count = shape.reduce((a, b) => a * b, 1);
  const next = random(seedOf(modelKey + '/' + meta.name));
  const name = meta.name.toLowerCase();
  const last = shape.length > 0 ? shape[shape.length - 1] : 1;
  let data;
  switch (meta.type) {
    case 'float32':
      data = Float32Array.from({ length: count }, () => next() * 2 - 1);
      break;
    case 'float16':
      // Exact half-precision bit patterns (magnitudes 2^-5 .. 2^5): no float-to-half rounding to disagree about.
      data = Uint16Array.from({ length: count }, () => ((next() < 0.5 ? 1 : 0) << 15) | ((10 + Math.floor(next() * 11)) << 10) | Math.floor(next() * 1024));
      break;
    case 'bool':
      data = Uint8Array.from({ length: count }, () => (next() < 0.5 ? 1 : 0));
      break;
    case 'int64':
    case 'int32': {
      const values = Array.from({ length: count }, (_, i) => {
        if (name.includes('attention_mask')) {
          // Every row attends to its first tokens; later rows have trailing padding.
          const row = Math.floor(i / last);
          const col = i % last;
          return col < Math.max(1, last - row * 2) ? 1 : 0;
        }
        if (name.includes('token_type')) return Math.floor(next() * 2);
        if (name.includes('position_ids')) return i % last;
        if (name.includes('input_ids')) return 1 + Math.floor(next() * 999);
        return Math.floor(next() * 201) - 100;
      });
      data = meta.type === 'int64' ? BigInt64Array.from(values, (v) => BigInt(v)) : Int32Array.from(values);
      break;
    }
    default:
      throw new Error(`${modelKey}: input ${meta.name} has type ${meta.type}, which the reference does not generate`);
  }
  return new ort.Tensor(meta.type, data, shape);
}

function bytesOf(tensor) {
  const d = tensor.data;
  return Buffer.from(d.buffer, d.byteOffset, d.byteLength);
}

fs.rmSync(outDir, { recursive: true, force: true });
fs.mkdirSync(outDir, { recursive: true });
const index = { runtime: 'onnxruntime-node', version: JSON.parse(fs.readFileSync(new URL('../node_modules/onnxruntime-node/package.json', import.meta.url))).version, sessionOptions, models: [] };
const models = fs.existsSync(modelsRoot) ? findModels(modelsRoot) : [];
for (const [m, file] of models.entries()) {
  const key = path.relative(modelsRoot, file).split(path.sep).join('/');
  const session = await ort.InferenceSession.create(file, sessionOptions);
  const feeds = {};
  for (const meta of session.inputMetadata) feeds[meta.name] = makeInput(meta, key);
  const results = await session.run(feeds);
  const entry = { model: key, inputMetadata: session.inputMetadata, outputMetadata: session.outputMetadata, inputs: [], outputs: [] };
  const write = (list, prefix, name, tensor, i) => {
    const f = `${m}-${prefix}${i}.bin`;
    fs.writeFileSync(path.join(outDir, f), bytesOf(tensor));
    list.push({ name, type: tensor.type, shape: tensor.dims, file: f });
  };
  session.inputNames.forEach((n, i) => write(entry.inputs, 'in', n, feeds[n], i));
  session.outputNames.forEach((n, i) => write(entry.outputs, 'out', n, results[n], i));
  index.models.push(entry);
  await session.release();
}
fs.writeFileSync(path.join(outDir, 'index.json'), JSON.stringify(index, null, 1) + '\n');
console.log(`references/onnx: ${index.models.length} models run with onnxruntime-node ${index.version}`);
