// Verifies the tiny synthetic models (eng/models/generate.py) with independent implementations:
//   1. onnxruntime-node runs every graph: input/output names, element types and declared shapes, output shapes,
//      finite and input-dependent outputs, batch independence, padding invariance, fp16/int8 variants close to
//      fp32, combined models equal to their towers, EmbeddingGemma with its head equal to the head-less export
//      plus the Dense safetensors applied here.
//   2. transformers.js loads every folder offline (tokenizer, processor, model classes, feature-extraction
//      pipeline) and gives the same vectors as onnxruntime-node on the same inputs; the Rust tokenizers
//      library gives the same token ids as transformers.js.
//
//   node eng/models/verify.mjs [models folder, default artifacts/models/tiny]
//
// Needs the reference packages of eng/restore-assets.sh (artifacts/node). Exit code 1 when a check fails.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const modelsDir = path.resolve(process.argv[2] ?? path.join(root, 'artifacts', 'models', 'tiny'));
const require = createRequire(path.join(root, 'artifacts', 'node', 'package.json'));
const ort = require('onnxruntime-node');
const { Tokenizer } = require('tokenizers');
const tjs = require('@huggingface/transformers');
const manifest = JSON.parse(fs.readFileSync(path.join(modelsDir, 'models.json'), 'utf8'));

// ----------------------------------------------------------------------------------------------------------
// Checks and vector helpers
// ----------------------------------------------------------------------------------------------------------
let passed = 0;
const failures = [];
function check(ok, what) {
  if (ok) passed++;
  else {
    failures.push(what);
    console.log(`  FAIL ${what}`);
  }
}
const log = (msg) => console.log(`  ${msg}`);
const fmt = (x) => (Math.abs(x) < 1e-3 && x !== 0 ? x.toExponential(2) : x.toFixed(6));

const sameDims = (a, b) => a.length === b.length && a.every((d, i) => d === b[i]);
function expectDims(tensor, dims, what) {
  check(sameDims(tensor.dims, dims), `${what}: dims [${tensor.dims}] (expected [${dims}])`);
}
function rows(tensor) {
  const n = tensor.dims[0];
  const size = tensor.data.length / n;
  return Array.from({ length: n }, (_, i) => Array.from(tensor.data.subarray(i * size, (i + 1) * size)));
}
const dot = (a, b) => a.reduce((s, x, i) => s + x * b[i], 0);
const norm = (a) => Math.sqrt(dot(a, a));
const cos = (a, b) => dot(a, b) / (norm(a) * norm(b));
const normalize = (a) => { const n = norm(a); return a.map((x) => x / n); };
const maxAbs = (a, b) => a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i])), 0);
const flat = (t) => Array.from(t.data);
const finite = (t) => Array.from(t.data).every(Number.isFinite);

function expectFinite(tensor, what) {
  check(finite(tensor), `${what}: all values finite`);
}
/** Every pair of rows clearly different: the model is not collapsed to a constant. */
function expectDistinct(vectors, what, limit = 0.99) {
  let worst = -1;
  for (let i = 0; i < vectors.length; i++) for (let j = i + 1; j < vectors.length; j++) worst = Math.max(worst, cos(vectors[i], vectors[j]));
  check(worst < limit, `${what}: rows differ (max pairwise cosine ${fmt(worst)} < ${limit})`);
  return worst;
}
function expectClose(a, b, what, tol = 1e-5) {
  const d = maxAbs(a, b);
  check(d <= tol, `${what}: max |diff| ${fmt(d)} <= ${tol}`);
  return d;
}
function expectCos(a, b, what, min) {
  const c = cos(a, b);
  check(c >= min, `${what}: cosine ${c.toFixed(7)} >= ${min}`);
  return c;
}

async function session(rel) {
  return ort.InferenceSession.create(path.join(modelsDir, rel), { intraOpNumThreads: 2, interOpNumThreads: 1 });
}
/** io: { inputs: [[name, type, dims]], outputs: [...] } in graph order; symbolic dims are strings. */
function expectIO(sess, io, what) {
  for (const [kind, names, metadata] of [['inputs', sess.inputNames, sess.inputMetadata], ['outputs', sess.outputNames, sess.outputMetadata]]) {
    const expected = io[kind];
    check(sameDims(names, expected.map((e) => e[0])), `${what}: ${kind} [${names}] (expected [${expected.map((e) => e[0])}])`);
    for (const [name, type, dims] of expected) {
      const m = metadata.find((x) => x.name === name);
      check(m && m.type === type && sameDims(m.shape, dims), `${what}: ${name} is ${type} [${dims}] (found ${m?.type} [${m?.shape}])`);
    }
  }
}

// Seeded PRNG (mulberry32): same inputs on every run.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function randomPixels(batch, size, seed) {
  const r = rng(seed);
  const data = new Float32Array(batch * 3 * size * size);
  for (let i = 0; i < data.length; i++) data[i] = r() * 2 - 1;
  return new ort.Tensor('float32', data, [batch, 3, size, size]);
}
const int64 = (rowsOfIds) => new ort.Tensor('int64', BigInt64Array.from(rowsOfIds.flat().map(BigInt)), [rowsOfIds.length, rowsOfIds[0].length]);
function padRight(idRows, pad, length) {
  const len = length ?? Math.max(...idRows.map((r) => r.length));
  return {
    ids: idRows.map((r) => [...r, ...Array(len - r.length).fill(pad)]),
    mask: idRows.map((r) => [...Array(r.length).fill(1), ...Array(len - r.length).fill(0)]),
  };
}
/** Rows [0, length) of item b of a [B, S, H] tensor. */
function tokens(tensor, b, length) {
  const [, S, H] = tensor.dims;
  return Array.from(tensor.data.subarray(b * S * H, (b * S + length) * H));
}
function tensorFrom(tjsTensor) {
  return new ort.Tensor(tjsTensor.type, tjsTensor.data, tjsTensor.dims);
}

const texts = ['a photo of a cat', 'an astronaut riding a horse on the moon', 'Der Hund läuft schnell durch den Park.', 'x'];
async function encode(tokenizerPath, list, addSpecial = true) {
  const tok = Tokenizer.fromFile(tokenizerPath);
  const out = [];
  for (const t of list) out.push((await tok.encode(t, null, { addSpecialTokens: addSpecial })).getIds());
  return out;
}
async function section(name, fn) {
  const t0 = performance.now();
  console.log(`${name}`);
  try {
    await fn();
  } catch (e) {
    check(false, `${name}: threw ${e.stack ?? e}`);
  }
  log(`(${((performance.now() - t0) / 1000).toFixed(1)} s)`);
}

// ----------------------------------------------------------------------------------------------------------
// 1. onnxruntime-node
// ----------------------------------------------------------------------------------------------------------
const siglipTextIds = {};

await section('siglip2 (onnxruntime-node)', async () => {
  const H = 32, T = 24, N = 196;
  const pixels = randomPixels(3, 224, 1);
  const vision = {};
  for (const suffix of ['', '_fp16', '_quantized']) {
    const s = await session(`siglip2/onnx/vision_model${suffix}.onnx`);
    expectIO(s, { inputs: [['pixel_values', 'float32', ['batch_size', 3, 224, 224]]],
      outputs: [['last_hidden_state', 'float32', ['batch_size', N, H]], ['pooler_output', 'float32', ['batch_size', H]]] }, `vision_model${suffix}`);
    const out = await s.run({ pixel_values: pixels });
    expectDims(out.last_hidden_state, [3, N, H], `vision_model${suffix} last_hidden_state`);
    expectDims(out.pooler_output, [3, H], `vision_model${suffix} pooler_output`);
    expectFinite(out.last_hidden_state, `vision_model${suffix} last_hidden_state`);
    vision[suffix] = rows(out.pooler_output);
    if (suffix === '') {
      log(`vision pooler max pairwise cosine ${fmt(expectDistinct(vision[''], 'vision_model pooler_output'))}`);
      const single = await s.run({ pixel_values: new ort.Tensor('float32', pixels.data.slice(0, 3 * 224 * 224), [1, 3, 224, 224]) });
      expectClose(flat(single.pooler_output), vision[''][0], 'vision_model batch of 1 vs batch of 3');
    }
  }
  vision._fp16.forEach((v, i) => expectCos(v, vision[''][i], `vision_model_fp16 vs fp32 image ${i}`, 0.9999));
  vision._quantized.forEach((v, i) => expectCos(v, vision[''][i], `vision_model_quantized vs fp32 image ${i}`, 0.99));
  log(`vision fp16/int8 cosine to fp32: ${vision._fp16.map((v, i) => cos(v, vision[''][i]).toFixed(6))} / ${vision._quantized.map((v, i) => cos(v, vision[''][i]).toFixed(6))}`);

  const encoded = await encode(path.join(modelsDir, 'siglip2/tokenizer.json'), texts);
  check(encoded.every((r) => r[0] !== 2 && r[r.length - 1] === 1), 'siglip2 tokenizer: no <bos>, <eos> (1) last');
  const { ids } = padRight(encoded, 0, 64);
  siglipTextIds.ids = ids;
  const text = {};
  for (const suffix of ['', '_fp16', '_quantized']) {
    const s = await session(`siglip2/onnx/text_model${suffix}.onnx`);
    expectIO(s, { inputs: [['input_ids', 'int64', ['batch_size', 'sequence_length']]],
      outputs: [['last_hidden_state', 'float32', ['batch_size', 'sequence_length', T]], ['pooler_output', 'float32', ['batch_size', H]]] }, `text_model${suffix}`);
    const out = await s.run({ input_ids: int64(ids) });
    expectDims(out.last_hidden_state, [texts.length, 64, T], `text_model${suffix} last_hidden_state`);
    expectDims(out.pooler_output, [texts.length, H], `text_model${suffix} pooler_output`);
    expectFinite(out.last_hidden_state, `text_model${suffix} last_hidden_state`);
    text[suffix] = rows(out.pooler_output);
    if (suffix === '') {
      log(`text pooler max pairwise cosine ${fmt(expectDistinct(text[''], 'text_model pooler_output'))}`);
      const shorter = await s.run({ input_ids: int64(padRight(encoded, 0, 32).ids) });
      check(cos(rows(shorter.pooler_output)[0], text[''][0]) < 0.99999, 'text_model: padding length changes the vector (pooler = last position)');
    }
  }
  text._fp16.forEach((v, i) => expectCos(v, text[''][i], `text_model_fp16 vs fp32 text ${i}`, 0.9999));
  text._quantized.forEach((v, i) => expectCos(v, text[''][i], `text_model_quantized vs fp32 text ${i}`, 0.99));
  log(`text fp16/int8 cosine to fp32: ${text._fp16.map((v, i) => cos(v, text[''][i]).toFixed(6))} / ${text._quantized.map((v, i) => cos(v, text[''][i]).toFixed(6))}`);

  const s = await session('siglip2/onnx/model.onnx');
  expectIO(s, {
    inputs: [['input_ids', 'int64', ['text_batch_size', 'sequence_length']], ['pixel_values', 'float32', ['image_batch_size', 3, 224, 224]]],
    outputs: [['logits_per_image', 'float32', ['image_batch_size', 'text_batch_size']], ['logits_per_text', 'float32', ['text_batch_size', 'image_batch_size']],
      ['text_embeds', 'float32', ['text_batch_size', H]], ['image_embeds', 'float32', ['image_batch_size', H]]] }, 'siglip2 model');
  const out = await s.run({ input_ids: int64(ids), pixel_values: pixels });
  const te = rows(out.text_embeds), ie = rows(out.image_embeds);
  te.forEach((v, i) => expectClose(v, normalize(text[''][i]), `model text_embeds ${i} = normalized text_model pooler_output`));
  ie.forEach((v, i) => expectClose(v, normalize(vision[''][i]), `model image_embeds ${i} = normalized vision_model pooler_output`));
  const { logit_scale: scale, logit_bias: bias } = manifest.siglip2;
  const perText = rows(out.logits_per_text), perImage = rows(out.logits_per_image);
  expectDims(out.logits_per_text, [texts.length, 3], 'logits_per_text');
  const expected = te.map((t) => ie.map((v) => dot(t, v) * Math.exp(scale) + bias));
  expectClose(perText.flat(), expected.flat(), 'logits_per_text = text.image * exp(logit_scale) + logit_bias', 1e-3);
  expectClose(perImage.flat(), expected[0].map((_, j) => expected.map((r) => r[j])).flat(), 'logits_per_image = logits_per_text^T', 1e-3);
  log(`logits_per_text[0] ${perText[0].map((x) => x.toFixed(3))}`);
});

const gemmaRun = {};
await section('embeddinggemma / embeddinggemma-dense (onnxruntime-node)', async () => {
  const H = 32;
  const encoded = await encode(path.join(modelsDir, 'embeddinggemma/tokenizer.json'), texts);
  check(encoded.every((r) => r[0] === 2 && r[r.length - 1] === 1), 'embeddinggemma tokenizer: <bos> (2) first, <eos> (1) last');
  const { ids, mask } = padRight(encoded, 0);
  const S = ids[0].length;
  gemmaRun.encoded = encoded;
  const s = await session('embeddinggemma/onnx/model.onnx');
  const io = [['input_ids', 'int64', ['batch_size', 'sequence_length']], ['attention_mask', 'int64', ['batch_size', 'sequence_length']]];
  expectIO(s, { inputs: io, outputs: [['last_hidden_state', 'float32', ['batch_size', 'sequence_length', H]], ['sentence_embedding', 'float32', ['batch_size', H]]] }, 'embeddinggemma');
  const out = await s.run({ input_ids: int64(ids), attention_mask: int64(mask) });
  expectDims(out.last_hidden_state, [texts.length, S, H], 'last_hidden_state');
  expectDims(out.sentence_embedding, [texts.length, H], 'sentence_embedding');
  expectFinite(out.last_hidden_state, 'last_hidden_state');
  const emb = rows(out.sentence_embedding);
  emb.forEach((v, i) => check(Math.abs(norm(v) - 1) < 1e-5, `sentence_embedding ${i} has unit norm`));
  log(`sentence_embedding max pairwise cosine ${fmt(expectDistinct(emb, 'sentence_embedding'))}`);
  gemmaRun.embeddings = emb;
  // Bidirectional attention with a padding mask: a text alone gives what it gives padded in a batch.
  const i = texts.length - 1; // the shortest text, padded the most
  const alone = await s.run({ input_ids: int64([encoded[i]]), attention_mask: int64([encoded[i].map(() => 1)]) });
  expectClose(flat(alone.sentence_embedding), emb[i], 'padded in a batch = alone (sentence_embedding)');
  expectClose(flat(alone.last_hidden_state), tokens(out.last_hidden_state, i, encoded[i].length), 'padded in a batch = alone (last_hidden_state, real tokens)', 1e-4);
  // Bidirectional: a later token changes an earlier token's state.
  const changed = encoded[1].slice(); changed[changed.length - 2] = 1000;
  const other = await s.run({ input_ids: int64([changed]), attention_mask: int64([changed.map(() => 1)]) });
  check(maxAbs(tokens(other.last_hidden_state, 0, 1), tokens(out.last_hidden_state, 1, 1)) > 1e-3, 'bidirectional: a later token changes the first token state');

  const d = await session('embeddinggemma-dense/onnx/model.onnx');
  expectIO(d, { inputs: io, outputs: [['last_hidden_state', 'float32', ['batch_size', 'sequence_length', H]]] }, 'embeddinggemma-dense');
  const dout = await d.run({ input_ids: int64(ids), attention_mask: int64(mask) });
  expectClose(flat(dout.last_hidden_state), flat(out.last_hidden_state), 'embeddinggemma-dense last_hidden_state = embeddinggemma last_hidden_state', 1e-4);
  // Pooling + Dense + Dense + Normalize applied here from the safetensors files.
  const dense = ['2_Dense', '3_Dense'].map((f) => readSafetensors(path.join(modelsDir, 'embeddinggemma-dense', f, 'model.safetensors'))['linear.weight']);
  check(sameDims(dense[0].shape, [128, H]) && sameDims(dense[1].shape, [H, 128]), `Dense weights [out, in]: [${dense[0].shape}], [${dense[1].shape}]`);
  for (let b = 0; b < texts.length; b++) {
    const len = encoded[b].length;
    const tok = tokens(dout.last_hidden_state, b, len);
    let x = Array.from({ length: H }, (_, h) => { let sum = 0; for (let t = 0; t < len; t++) sum += tok[t * H + h]; return sum / len; });
    for (const w of dense) x = Array.from({ length: w.shape[0] }, (_, o) => { let sum = 0; for (let k = 0; k < w.shape[1]; k++) sum += w.data[o * w.shape[1] + k] * x[k]; return sum; });
    x = normalize(x);
    expectCos(x, emb[b], `dense layout + Pooling/Dense/Normalize = sentence_embedding (text ${b})`, 0.99999);
    expectClose(x, emb[b], `dense layout + Pooling/Dense/Normalize = sentence_embedding (text ${b})`);
  }
});

function readSafetensors(file) {
  const buf = fs.readFileSync(file);
  const n = Number(buf.readBigUInt64LE(0));
  const header = JSON.parse(buf.subarray(8, 8 + n).toString('utf8'));
  const out = {};
  for (const [name, info] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    check(info.dtype === 'F32', `${path.basename(path.dirname(file))}/${name} dtype F32`);
    const [start, end] = info.data_offsets;
    const bytes = buf.subarray(8 + n + start, 8 + n + end);
    out[name] = { shape: info.shape, data: new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)) };
  }
  return out;
}

const meanPool = (tensor, b, len) => {
  const H = tensor.dims[2];
  const tok = tokens(tensor, b, len);
  return Array.from({ length: H }, (_, h) => { let s = 0; for (let t = 0; t < len; t++) s += tok[t * H + h]; return s / len; });
};

const minilmRun = {};
await section('minilm (onnxruntime-node)', async () => {
  const H = 32;
  const encoded = await encode(path.join(modelsDir, 'minilm/tokenizer.json'), texts);
  // The Xenova tokenizer.json pads to 128; keep the real tokens to test padding ourselves.
  const lengths = encoded.map((r) => r.filter((id) => id !== 0).length);
  const real = encoded.map((r, i) => r.slice(0, lengths[i]));
  check(real.every((r) => r[0] === 101 && r[r.length - 1] === 102), 'minilm tokenizer: [CLS] first, [SEP] last');
  const { ids, mask } = padRight(real, 0);
  const types = ids.map((r) => r.map(() => 0));
  const s = await session('minilm/onnx/model.onnx');
  const sig = ['batch_size', 'sequence_length'];
  expectIO(s, { inputs: [['input_ids', 'int64', sig], ['attention_mask', 'int64', sig], ['token_type_ids', 'int64', sig]],
    outputs: [['last_hidden_state', 'float32', [...sig, H]]] }, 'minilm');
  const out = await s.run({ input_ids: int64(ids), attention_mask: int64(mask), token_type_ids: int64(types) });
  expectDims(out.last_hidden_state, [texts.length, ids[0].length, H], 'last_hidden_state');
  expectFinite(out.last_hidden_state, 'last_hidden_state');
  const pooled = real.map((r, b) => meanPool(out.last_hidden_state, b, r.length));
  log(`mean-pooled max pairwise cosine ${fmt(expectDistinct(pooled, 'mean-pooled last_hidden_state'))}`);
  minilmRun.real = real;
  minilmRun.pooled = pooled;
  const i = texts.length - 1;
  const alone = await s.run({ input_ids: int64([real[i]]), attention_mask: int64([real[i].map(() => 1)]), token_type_ids: int64([real[i].map(() => 0)]) });
  expectClose(flat(alone.last_hidden_state), tokens(out.last_hidden_state, i, real[i].length), 'padded in a batch = alone (real tokens)', 1e-4);
  const typed = await s.run({ input_ids: int64([real[0]]), attention_mask: int64([real[0].map(() => 1)]), token_type_ids: int64([real[0].map(() => 1)]) });
  check(maxAbs(meanPool(typed.last_hidden_state, 0, real[0].length), pooled[0]) > 1e-3, 'token_type_ids change the output');
});

const clipRun = {};
await section('clip (onnxruntime-node)', async () => {
  const P = 24, HV = 32, HT = 40;
  const pixels = randomPixels(3, 224, 2);
  const v = await session('clip/onnx/vision_model.onnx');
  expectIO(v, { inputs: [['pixel_values', 'float32', ['batch_size', 3, 224, 224]]],
    outputs: [['image_embeds', 'float32', ['batch_size', P]], ['last_hidden_state', 'float32', ['batch_size', 50, HV]]] }, 'clip vision_model');
  const vout = await v.run({ pixel_values: pixels });
  expectDims(vout.image_embeds, [3, P], 'image_embeds');
  expectDims(vout.last_hidden_state, [3, 50, HV], 'vision last_hidden_state');
  expectFinite(vout.last_hidden_state, 'vision last_hidden_state');
  const image = rows(vout.image_embeds);
  log(`image_embeds max pairwise cosine ${fmt(expectDistinct(image, 'image_embeds'))}`);

  const encoded = await encode(path.join(modelsDir, 'clip/tokenizer.json'), texts);
  check(encoded.every((r) => r[0] === 49406 && r[r.length - 1] === 49407), 'clip tokenizer: <|startoftext|> first, <|endoftext|> last');
  const { ids, mask } = padRight(encoded, 49407);
  const t = await session('clip/onnx/text_model.onnx');
  const sig = ['batch_size', 'sequence_length'];
  expectIO(t, { inputs: [['input_ids', 'int64', sig], ['attention_mask', 'int64', sig]],
    outputs: [['text_embeds', 'float32', ['batch_size', P]], ['last_hidden_state', 'float32', [...sig, HT]]] }, 'clip text_model');
  const tout = await t.run({ input_ids: int64(ids), attention_mask: int64(mask) });
  expectDims(tout.text_embeds, [texts.length, P], 'text_embeds');
  expectDims(tout.last_hidden_state, [texts.length, ids[0].length, HT], 'text last_hidden_state');
  expectFinite(tout.last_hidden_state, 'text last_hidden_state');
  const text = rows(tout.text_embeds);
  log(`text_embeds max pairwise cosine ${fmt(expectDistinct(text, 'text_embeds'))}`);
  clipRun.encoded = encoded;
  clipRun.text = text;
  // Causal: tokens after the EOS (even unmasked) change neither the pooled EOS state nor earlier states.
  const i = texts.length - 1;
  const extended = [...encoded[i], 320, 1929, 49407];
  const ext = await t.run({ input_ids: int64([extended]), attention_mask: int64([extended.map(() => 1)]) });
  expectClose(flat(ext.text_embeds), text[i], 'causal: tokens after <|endoftext|> do not change text_embeds', 1e-4);
  const alone = await t.run({ input_ids: int64([encoded[i]]), attention_mask: int64([encoded[i].map(() => 1)]) });
  expectClose(flat(alone.text_embeds), text[i], 'padded in a batch = alone (text_embeds)', 1e-4);
  const early = encoded[1].slice(); early[1] = 320;
  const changed = await t.run({ input_ids: int64([early]), attention_mask: int64([early.map(() => 1)]) });
  check(maxAbs(flat(changed.text_embeds), text[1]) > 1e-3, 'an earlier token changes text_embeds');

  const m = await session('clip/onnx/model.onnx');
  expectIO(m, {
    inputs: [['input_ids', 'int64', ['text_batch_size', 'sequence_length']], ['pixel_values', 'float32', ['image_batch_size', 3, 224, 224]],
      ['attention_mask', 'int64', ['text_batch_size', 'sequence_length']]],
    outputs: [['logits_per_image', 'float32', ['image_batch_size', 'text_batch_size']], ['logits_per_text', 'float32', ['text_batch_size', 'image_batch_size']],
      ['text_embeds', 'float32', ['text_batch_size', P]], ['image_embeds', 'float32', ['image_batch_size', P]]] }, 'clip model');
  const out = await m.run({ input_ids: int64(ids), pixel_values: pixels, attention_mask: int64(mask) });
  const te = rows(out.text_embeds), ie = rows(out.image_embeds);
  te.forEach((x, k) => expectClose(x, normalize(text[k]), `model text_embeds ${k} = normalized text_model text_embeds`));
  ie.forEach((x, k) => expectClose(x, normalize(image[k]), `model image_embeds ${k} = normalized vision_model image_embeds`));
  const expected = te.map((a) => ie.map((b) => dot(a, b) * Math.exp(manifest.clip.logit_scale)));
  expectClose(rows(out.logits_per_text).flat(), expected.flat(), 'logits_per_text = exp(logit_scale) * text.image', 1e-3);
  expectClose(rows(out.logits_per_image).flat(), expected[0].map((_, j) => expected.map((r) => r[j])).flat(), 'logits_per_image = logits_per_text^T', 1e-3);
});

const f16 = (x) => { // float32 -> IEEE half bits (exact for the small values used here)
  const f = new Float32Array([x]); const u = new Uint32Array(f.buffer)[0];
  const sign = (u >>> 16) & 0x8000, exp = ((u >>> 23) & 0xff) - 127 + 15, mant = (u >>> 13) & 0x3ff;
  return x === 0 ? sign : sign | (exp << 10) | mant;
};
const fromF16 = (h) => {
  const sign = h & 0x8000 ? -1 : 1, exp = (h >>> 10) & 0x1f, mant = h & 0x3ff;
  return exp === 0 ? sign * mant * 2 ** -24 : sign * (1 + mant / 1024) * 2 ** (exp - 15);
};

await section('ort-dtypes (onnxruntime-node)', async () => {
  const s = await session('ort-dtypes/model.onnx');
  const b = ['batch_size', 4];
  expectIO(s, {
    inputs: [['float_input', 'float32', b], ['int64_input', 'int64', b], ['int32_input', 'int32', b], ['float16_input', 'float16', b], ['bool_input', 'bool', b]],
    outputs: [['float_output', 'float32', b], ['int64_output', 'int64', b], ['int32_output', 'int32', b], ['float16_output', 'float16', b],
      ['bool_output', 'bool', b], ['sum_output', 'float32', b], ['matmul_output', 'float32', ['batch_size', 3]], ['column_sum_output', 'float32', [4]],
      ['total_output', 'float32', []]] }, 'ort-dtypes');
  const f = [0.5, -1, 2, 3.25, 4, 5, -6, 7.5, 1, 1, 1, 1];
  const i64 = [1, -2, 3, 4, 5, 6, 7, 8, 9, 10, 11, -12];
  const i32 = [10, 20, 30, 40, -50, 60, 70, 80, 0, 0, 0, 1];
  const h = [1.5, -2, 0.25, 3, 1, 2, 4, 8, -1, 0.5, 0.125, 16];
  const bools = [1, 0, 1, 0, 0, 0, 1, 1, 1, 1, 0, 0];
  const shape = [3, 4];
  const out = await s.run({
    float_input: new ort.Tensor('float32', Float32Array.from(f), shape),
    int64_input: new ort.Tensor('int64', BigInt64Array.from(i64.map(BigInt)), shape),
    int32_input: new ort.Tensor('int32', Int32Array.from(i32), shape),
    float16_input: new ort.Tensor('float16', Uint16Array.from(h.map(f16)), shape),
    bool_input: new ort.Tensor('bool', Uint8Array.from(bools), shape),
  });
  check(out.float_output.type === 'float32', 'float_output is float32');
  expectClose(flat(out.float_output), f.map((x) => x + 1), 'float_output = float_input + 1', 0);
  check(out.int64_output.type === 'int64' && Array.from(out.int64_output.data).every((x, k) => x === BigInt(i64[k] * 2)), 'int64_output = 2 * int64_input');
  check(out.int32_output.type === 'int32' && Array.from(out.int32_output.data).every((x, k) => x === i32[k] + 7), 'int32_output = int32_input + 7');
  check(out.float16_output.type === 'float16' && Array.from(out.float16_output.data).every((x, k) => fromF16(Number(x)) === h[k] * 2), 'float16_output = 2 * float16_input');
  check(out.bool_output.type === 'bool' && Array.from(out.bool_output.data).every((x, k) => Boolean(x) === !bools[k]), 'bool_output = not bool_input');
  expectClose(flat(out.sum_output), f.map((x, k) => x + i64[k] + i32[k] + h[k] + bools[k]), 'sum_output = sum of all inputs', 1e-4);
  const W = (r, c) => 3 * r + c + 1;
  const mm = [0, 1, 2].flatMap((r) => [0, 1, 2].map((c) => [0, 1, 2, 3].reduce((acc, k) => acc + f[r * 4 + k] * W(k, c), 0)));
  expectDims(out.matmul_output, [3, 3], 'matmul_output');
  expectClose(flat(out.matmul_output), mm, 'matmul_output = float_input x W (W[i][j] = 3i + j + 1)', 1e-4);
  expectDims(out.column_sum_output, [4], 'column_sum_output');
  expectClose(flat(out.column_sum_output), [0, 1, 2, 3].map((c) => f[c] + f[4 + c] + f[8 + c]), 'column_sum_output', 1e-5);
  expectDims(out.total_output, [], 'total_output');
  expectClose(flat(out.total_output), [f.reduce((a, x) => a + x, 0)], 'total_output', 1e-5);
  const one = await s.run({
    float_input: new ort.Tensor('float32', Float32Array.from(f.slice(0, 4)), [1, 4]),
    int64_input: new ort.Tensor('int64', BigInt64Array.from(i64.slice(0, 4).map(BigInt)), [1, 4]),
    int32_input: new ort.Tensor('int32', Int32Array.from(i32.slice(0, 4)), [1, 4]),
    float16_input: new ort.Tensor('float16', Uint16Array.from(h.slice(0, 4).map(f16)), [1, 4]),
    bool_input: new ort.Tensor('bool', Uint8Array.from(bools.slice(0, 4)), [1, 4]),
  });
  expectDims(one.sum_output, [1, 4], 'sum_output with batch 1');
});

await section('ort-slow (onnxruntime-node)', async () => {
  const s = await session('ort-slow/model.onnx');
  expectIO(s, { inputs: [['x', 'float32', ['n', 512]]], outputs: [['y', 'float32', ['n', 512]]] }, 'ort-slow');
  const size = fs.statSync(path.join(modelsDir, 'ort-slow/model.onnx')).size;
  check(size < 4 << 20, `ort-slow file is small (${size} bytes)`);
  const run = async (n) => {
    const x = new ort.Tensor('float32', Float32Array.from({ length: n * 512 }, (_, k) => Math.sin(k)), [n, 512]);
    const t0 = performance.now();
    const out = await s.run({ x });
    return [performance.now() - t0, out.y];
  };
  await run(1);
  const [small, y1] = await run(1);
  const [big, y] = await run(512);
  expectDims(y, [512, 512], 'y');
  expectFinite(y, 'y');
  const values = Array.from(y.data.subarray(0, 2048));
  check(Math.max(...values) - Math.min(...values) > 0.1, 'y is not constant');
  expectFinite(y1, 'y (n=1)');
  log(`run time: n=1 ${small.toFixed(1)} ms, n=512 ${big.toFixed(0)} ms (wanted roughly 500-2000 ms)`);
  // Relative bounds: the machine may be busy. The work grows 512-fold from n=1 to n=512.
  check(big > 200, `n=512 takes long enough to cancel (${big.toFixed(0)} ms)`);
  check(big > 20 * small, `n=1 is much faster than n=512 (${small.toFixed(1)} ms vs ${big.toFixed(0)} ms)`);
});

// ----------------------------------------------------------------------------------------------------------
// 2. transformers.js 4.3.1, offline, on the same folders
// ----------------------------------------------------------------------------------------------------------
const { env, AutoTokenizer, AutoProcessor, AutoModel, SiglipVisionModel, SiglipTextModel, CLIPVisionModelWithProjection,
  CLIPTextModelWithProjection, RawImage, pipeline } = tjs;
env.allowRemoteModels = false;
env.allowLocalModels = true;
env.localModelPath = modelsDir + path.sep;
const photos = ['cat_bamboo_chair.jpg', 'landscape_mountains.jpg', 'rocket_launch.jpg', 'dog_beach.jpg', 'food_coffee.png']
  .map((f) => path.join(root, 'testdata', 'images', f));
const photo = photos[0];
/** The vision tower on real photos (through the model's own processor): vectors clearly differ. */
async function expectDistinctPhotos(processor, model, key, what) {
  const vectors = [];
  for (const file of photos) vectors.push(flat((await model({ pixel_values: (await processor(await RawImage.read(file))).pixel_values }))[key]));
  log(`${what} on ${photos.length} photos: max pairwise cosine ${fmt(expectDistinct(vectors, `${what} on photos`))}`);
}
const tjsIds = (enc) => rows(enc.input_ids).map((r) => r.map(Number));

await section('siglip2 (transformers.js)', async () => {
  const tokenizer = await AutoTokenizer.from_pretrained('siglip2');
  const enc = tokenizer(texts, { padding: 'max_length', max_length: 64, truncation: true });
  check(JSON.stringify(tjsIds(enc)) === JSON.stringify(siglipTextIds.ids), 'AutoTokenizer (max_length 64) = Rust tokenizers + right padding with <pad>');
  const processor = await AutoProcessor.from_pretrained('siglip2');
  const { pixel_values } = await processor(await RawImage.read(photo));
  expectDims(pixel_values, [1, 3, 224, 224], 'AutoProcessor pixel_values');
  const direct = await (await session('siglip2/onnx/vision_model.onnx')).run({ pixel_values: tensorFrom(pixel_values) });
  for (const dtype of ['fp32', 'fp16', 'q8']) {
    const vision = await SiglipVisionModel.from_pretrained('siglip2', { dtype });
    const out = await vision({ pixel_values });
    expectDims(out.pooler_output, [1, 32], `SiglipVisionModel (${dtype}) pooler_output`);
    expectCos(flat(out.pooler_output), flat(direct.pooler_output), `SiglipVisionModel (${dtype}) = onnxruntime-node fp32 on the same pixels`, dtype === 'fp32' ? 0.99999 : 0.99);
    if (dtype === 'fp32') await expectDistinctPhotos(processor, vision, 'pooler_output', 'SiglipVisionModel');
    await vision.dispose();
  }
  const textDirect = await (await session('siglip2/onnx/text_model.onnx')).run({ input_ids: int64(siglipTextIds.ids) });
  for (const dtype of ['fp32', 'fp16', 'q8']) {
    const text = await SiglipTextModel.from_pretrained('siglip2', { dtype });
    const out = await text(enc);
    expectDims(out.pooler_output, [texts.length, 32], `SiglipTextModel (${dtype}) pooler_output`);
    rows(out.pooler_output).forEach((v, i) => expectCos(v, rows(textDirect.pooler_output)[i], `SiglipTextModel (${dtype}) text ${i} = onnxruntime-node fp32`, dtype === 'fp32' ? 0.99999 : 0.99));
    await text.dispose();
  }
});

await section('embeddinggemma / embeddinggemma-dense (transformers.js)', async () => {
  const tokenizer = await AutoTokenizer.from_pretrained('embeddinggemma');
  const enc = tokenizer(texts, { padding: true });
  check(JSON.stringify(tjsIds(enc)) === JSON.stringify(padRight(gemmaRun.encoded, 0).ids), 'AutoTokenizer = Rust tokenizers (<bos> ... <eos>, right padding)');
  const model = await AutoModel.from_pretrained('embeddinggemma', { dtype: 'fp32' });
  const out = await model(enc);
  expectDims(out.sentence_embedding, [texts.length, 32], 'AutoModel sentence_embedding');
  rows(out.sentence_embedding).forEach((v, i) => expectCos(v, gemmaRun.embeddings[i], `AutoModel sentence_embedding ${i} = onnxruntime-node`, 0.99999));
  await model.dispose();
  const dense = await AutoModel.from_pretrained('embeddinggemma-dense', { dtype: 'fp32' });
  const dout = await dense(enc);
  check(dout.sentence_embedding === undefined && sameDims(dout.last_hidden_state.dims, [texts.length, enc.input_ids.dims[1], 32]), 'embeddinggemma-dense: last_hidden_state only');
  await dense.dispose();
  const extractor = await pipeline('feature-extraction', 'embeddinggemma', { dtype: 'fp32' });
  const features = await extractor(texts, { pooling: 'mean', normalize: true });
  expectDims(features, [texts.length, 32], 'feature-extraction pipeline (mean, normalize)');
  expectFinite(features, 'feature-extraction pipeline');
  await extractor.dispose();
});

await section('minilm (transformers.js)', async () => {
  const extractor = await pipeline('feature-extraction', 'minilm', { dtype: 'fp32' });
  const features = await extractor(texts, { pooling: 'mean', normalize: true });
  expectDims(features, [texts.length, 32], 'feature-extraction pipeline (mean, normalize)');
  rows(features).forEach((v, i) => expectCos(v, minilmRun.pooled[i], `pipeline vector ${i} = mean pooling of onnxruntime-node output`, 0.99999));
  await extractor.dispose();
  const tokenizer = await AutoTokenizer.from_pretrained('minilm');
  const model = await AutoModel.from_pretrained('minilm', { dtype: 'fp32' });
  const out = await model(tokenizer(texts, { padding: true }));
  expectDims(out.last_hidden_state, [texts.length, Math.max(...minilmRun.real.map((r) => r.length)), 32], 'AutoModel last_hidden_state');
  await model.dispose();
});

await section('clip (transformers.js)', async () => {
  const processor = await AutoProcessor.from_pretrained('clip');
  const { pixel_values } = await processor(await RawImage.read(photo));
  expectDims(pixel_values, [1, 3, 224, 224], 'AutoProcessor pixel_values');
  const vision = await CLIPVisionModelWithProjection.from_pretrained('clip', { dtype: 'fp32' });
  const vout = await vision({ pixel_values });
  expectDims(vout.image_embeds, [1, 24], 'CLIPVisionModelWithProjection image_embeds');
  const direct = await (await session('clip/onnx/vision_model.onnx')).run({ pixel_values: tensorFrom(pixel_values) });
  expectCos(flat(vout.image_embeds), flat(direct.image_embeds), 'CLIPVisionModelWithProjection = onnxruntime-node on the same pixels', 0.99999);
  await expectDistinctPhotos(processor, vision, 'image_embeds', 'CLIPVisionModelWithProjection');
  await vision.dispose();
  const tokenizer = await AutoTokenizer.from_pretrained('clip');
  const enc = tokenizer(texts, { padding: true, truncation: true });
  check(JSON.stringify(tjsIds(enc)) === JSON.stringify(padRight(clipRun.encoded, 49407).ids), 'AutoTokenizer = Rust tokenizers (padding with <|endoftext|>)');
  const text = await CLIPTextModelWithProjection.from_pretrained('clip', { dtype: 'fp32' });
  const tout = await text(enc);
  expectDims(tout.text_embeds, [texts.length, 24], 'CLIPTextModelWithProjection text_embeds');
  rows(tout.text_embeds).forEach((v, i) => expectCos(v, clipRun.text[i], `CLIPTextModelWithProjection text ${i} = onnxruntime-node`, 0.99999));
  await text.dispose();
});

console.log(`\nverify: ${passed} checks passed, ${failures.length} failed`);
process.exit(failures.length ? 1 : 0);
