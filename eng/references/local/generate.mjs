// Reference vectors for the local provider, from transformers.js 4.3.1 running offline on the tiny generated models:
//   node generate.mjs <models-root> <out-dir> <image file name>...
// Needs <out-dir>/pixels/<model>/<image>.f32, the Pillow-made tensors of pillow_tensors.py. Writes <out-dir>/index.json.
//
// What is computed (every vector also stored L2-normalized, as the provider returns it by default):
// Token ids come from Hugging Face's Rust tokenizers (npm 'tokenizers') with truncation at the model's maximum, which
// keeps the special tokens as Python transformers does (transformers.js truncates after adding them, dropping the
// closing token); the ids of texts short enough to need no truncation are checked equal to transformers.js's.
//   - SigLIP2 text: padded with <pad> to 64, SiglipTextModel → pooler_output.
//   - EmbeddingGemma: AutoModel → sentence_embedding, for the texts as they are
//     and with EVERY prompt of config_sentence_transformers.json prepended (transformers.js applies no prompts; this is
//     what sentence-transformers does), plus Matryoshka truncation to half the size with re-normalization.
//   - MiniLM: truncation at sentence_bert_config's max_seq_length, AutoModel → mean_pooling.
//   - CLIP text: CLIPTextModelWithProjection → text_embeds.
//   - Images (SigLIP2 vision tower pooler_output, CLIP image_embeds) on the Pillow tensors, and on transformers.js's
//     own AutoProcessor pixels (which resizes differently; reported, not asserted equal).
//   - Zero-shot: the combined models (SiglipModel / CLIPModel) on the Pillow tensors and the templated labels →
//     logits_per_image → sigmoid (SigLIP) or softmax (CLIP); and the zero-shot-image-classification pipeline on the
//     files themselves.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const [modelsDir, outDir, ...images] = process.argv.slice(2);
if (!modelsDir || !outDir || images.length === 0) {
  console.error('usage: node generate.mjs <models-root> <out-dir> <image>...');
  process.exit(2);
}

const require = createRequire(path.join(root, 'artifacts', 'node', 'package.json'));
const tjs = require('@huggingface/transformers');
const { Tokenizer } = require('tokenizers');
const { env, AutoTokenizer, AutoProcessor, AutoModel, SiglipTextModel, SiglipVisionModel, CLIPTextModelWithProjection,
  CLIPVisionModelWithProjection, RawImage, Tensor, mean_pooling, pipeline } = tjs;
env.allowRemoteModels = false;
env.allowLocalModels = true;
env.localModelPath = path.resolve(modelsDir) + path.sep;

const rows = (t) => {
  const n = t.dims[0];
  const size = t.data.length / n;
  return Array.from({ length: n }, (_, i) => Array.from(t.data.subarray(i * size, (i + 1) * size)));
};
const norm = (a) => Math.sqrt(a.reduce((s, x) => s + x * x, 0));
const normalize = (a) => { const n = Math.max(norm(a), 1e-12); return a.map((x) => x / n); };
const sigmoid = (x) => 1 / (1 + Math.exp(-x));
const softmax = (r) => { const m = Math.max(...r); const e = r.map((x) => Math.exp(x - m)); const s = e.reduce((a, b) => a + b, 0); return e.map((x) => x / s); };
const both = (raw) => ({ raw, normalized: raw.map(normalize) });

// A fixed text set: short and long, empty, several scripts, emoji; the long one exceeds every model's limit but
// EmbeddingGemma's (SigLIP 64, CLIP 77, MiniLM 256 tokens).
const pool = ['The quick brown fox jumps over the lazy dog near the riverbank.', 'Embeddings turn text into vectors that machines compare.',
  'A red bicycle leans against the old stone wall of the bakery.', 'Satellites relay signals across the ocean in milliseconds.'];
const long = Array.from({ length: 40 }, (_, i) => pool[i % pool.length]).join(' ');
const texts = [
  'A photo of a cat sitting on a bamboo chair.',
  'hello',
  '',
  'Rocket launches at dawn over the Atlantic; thousands watch from the beach. 🚀',
  'Die Bergkette liegt im Nebel, und der Himmel ist klar über den Gipfeln.',
  '東京の夜景はとても美しいです。',
  long,
];
const index = { texts };

/**
 * Rust-tokenized, padded model inputs: input_ids, attention_mask and token_type_ids (int64), padded with the pad token
 * to the longest text or to `padTo`. Texts needing no truncation are checked against transformers.js's own ids.
 */
async function encode(name, list, maxLength, padTo) {
  const folder = path.join(modelsDir, name);
  const tokenizer = Tokenizer.fromFile(path.join(folder, 'tokenizer.json'));
  tokenizer.setTruncation(maxLength, { strategy: 'LongestFirst', direction: 'right', stride: 0 });
  tokenizer.disablePadding();
  const config = JSON.parse(fs.readFileSync(path.join(folder, 'tokenizer_config.json'), 'utf8'));
  const padId = tokenizer.tokenToId(config.pad_token ?? '<pad>') ?? 0;
  const ids = [];
  for (const t of list) ids.push((await tokenizer.encode(t, null, true)).getIds());
  const own = await AutoTokenizer.from_pretrained(name);
  ids.forEach((row, i) => {
    if (row.length >= maxLength) return;
    const theirs = Array.from(own(list[i]).input_ids.data).map(Number);
    if (theirs.join() !== row.join()) throw new Error(`${name}: Rust and transformers.js token ids differ for text ${i}`);
  });
  const length = padTo ?? Math.max(...ids.map((r) => r.length));
  const tensor = (f) => new Tensor('int64', BigInt64Array.from(ids.flatMap((r) => Array.from({ length }, (_, k) => BigInt(f(r, k))))), [ids.length, length]);
  return {
    input_ids: tensor((r, k) => (k < r.length ? r[k] : padId)),
    attention_mask: tensor((r, k) => (k < r.length ? 1 : 0)),
    token_type_ids: tensor(() => 0),
  };
}

async function text(name, run) {
  const started = Date.now();
  index[name] = { ...(index[name] ?? {}), ...(await run()) };
  console.log(`  ${name} text: ${Date.now() - started} ms`);
}

// ---- text -------------------------------------------------------------------------------------------------------
await text('siglip2', async () => {
  const model = await SiglipTextModel.from_pretrained('siglip2', { dtype: 'fp32' });
  const { input_ids } = await encode('siglip2', texts, 64, 64);
  const out = await model({ input_ids });
  await model.dispose();
  return { text: both(rows(out.pooler_output)) };
});

await text('embeddinggemma', async () => {
  const config = JSON.parse(fs.readFileSync(path.join(modelsDir, 'embeddinggemma', 'config_sentence_transformers.json'), 'utf8'));
  const maxSeqLength = JSON.parse(fs.readFileSync(path.join(modelsDir, 'embeddinggemma', 'sentence_bert_config.json'), 'utf8')).max_seq_length;
  const model = await AutoModel.from_pretrained('embeddinggemma', { dtype: 'fp32' });
  const embed = async (list) => {
    const { input_ids, attention_mask } = await encode('embeddinggemma', list, maxSeqLength);
    return rows((await model({ input_ids, attention_mask })).sentence_embedding);
  };
  const plain = await embed(texts);
  const prompts = {};
  for (const [name, prefix] of Object.entries(config.prompts)) {
    prompts[name] = await embed(texts.map((t) => prefix + t));
  }

  await model.dispose();
  const half = plain[0].length / 2;
  const truncate = (vectors) => vectors.map((v) => normalize(v.slice(0, half)));
  return { text: both(plain), prompts, matryoshka: { dimensions: half, plain: truncate(plain), query: truncate(prompts.query) } };
});

await text('minilm', async () => {
  const maxSeqLength = JSON.parse(fs.readFileSync(path.join(modelsDir, 'minilm', 'sentence_bert_config.json'), 'utf8')).max_seq_length;
  const model = await AutoModel.from_pretrained('minilm', { dtype: 'fp32' });
  const encoded = await encode('minilm', texts, maxSeqLength);
  if (encoded.input_ids.dims[1] !== maxSeqLength) throw new Error(`MiniLM: the long text was not truncated to ${maxSeqLength} tokens`);
  const out = await model(encoded);
  await model.dispose();
  return { text: both(rows(mean_pooling(out.last_hidden_state, encoded.attention_mask))), max_seq_length: maxSeqLength };
});

await text('clip', async () => {
  const maxLength = JSON.parse(fs.readFileSync(path.join(modelsDir, 'clip', 'config.json'), 'utf8')).text_config.max_position_embeddings ?? 77;
  const model = await CLIPTextModelWithProjection.from_pretrained('clip', { dtype: 'fp32' });
  const { input_ids, attention_mask } = await encode('clip', texts, maxLength);
  const out = await model({ input_ids, attention_mask });
  await model.dispose();
  return { text: both(rows(out.text_embeds)) };
});

// ---- images -----------------------------------------------------------------------------------------------------
function pillowTensor(model, image) {
  const bytes = fs.readFileSync(path.join(outDir, 'pixels', model, image + '.f32'));
  const data = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const side = Math.round(Math.sqrt(data.length / 3));
  return new Tensor('float32', data, [1, 3, side, side]);
}

const stack = (tensors) => {
  const [, c, h, w] = tensors[0].dims;
  const data = new Float32Array(tensors.length * c * h * w);
  tensors.forEach((t, i) => data.set(t.data, i * c * h * w));
  return new Tensor('float32', data, [tensors.length, c, h, w]);
};

async function imageSide(name, VisionModel, key) {
  const started = Date.now();
  const processor = await AutoProcessor.from_pretrained(name);
  const model = await VisionModel.from_pretrained(name, { dtype: 'fp32' });
  const pillow = {};
  const own = {};
  for (const image of images) {
    const a = (await model({ pixel_values: pillowTensor(name, image) }))[key];
    pillow[image] = { raw: Array.from(a.data), normalized: normalize(Array.from(a.data)) };
    const { pixel_values } = await processor(await RawImage.read(path.join(root, 'testdata', 'images', image)));
    own[image] = normalize(Array.from((await model({ pixel_values }))[key].data));
  }

  await model.dispose();
  index[name].image = { pillow, transformers_js_preprocessing: own };
  console.log(`  ${name} images: ${Date.now() - started} ms`);
}

await imageSide('siglip2', SiglipVisionModel, 'pooler_output');
await imageSide('clip', CLIPVisionModelWithProjection, 'image_embeds');

// ---- zero-shot --------------------------------------------------------------------------------------------------
const labels = ['cat', 'dog', 'mountain landscape', 'rocket', 'cup of coffee', 'logo'];
const template = 'This is a photo of {}.';
async function zeroShot(name, siglip) {
  const started = Date.now();
  const tokenizer = await AutoTokenizer.from_pretrained(name);
  const model = await AutoModel.from_pretrained(name, { dtype: 'fp32' });
  const encoded = tokenizer(labels.map((l) => template.replace('{}', l)), siglip ? { padding: 'max_length', max_length: 64, truncation: true } : { padding: true, truncation: true });
  const out = await model({ ...encoded, pixel_values: stack(images.map((i) => pillowTensor(name, i))) });
  await model.dispose();
  const scores = {};
  const logits = {};
  rows(out.logits_per_image).forEach((r, i) => { scores[images[i]] = siglip ? r.map(sigmoid) : softmax(r); logits[images[i]] = r; });

  const classifier = await pipeline('zero-shot-image-classification', name, { dtype: 'fp32' });
  const own = {};
  for (const image of images) {
    const result = await classifier(path.join(root, 'testdata', 'images', image), labels, { hypothesis_template: template });
    own[image] = labels.map((l) => result.find((r) => r.label === l).score);
  }

  await classifier.dispose();
  index[name].zero_shot = { labels, template, logits, scores, transformers_js_pipeline: own };
  console.log(`  ${name} zero-shot: ${Date.now() - started} ms`);
}

await zeroShot('siglip2', true);
await zeroShot('clip', false);

fs.writeFileSync(path.join(outDir, 'index.json'), JSON.stringify(index));
console.log(`references: local: ${path.join(outDir, 'index.json')}`);
