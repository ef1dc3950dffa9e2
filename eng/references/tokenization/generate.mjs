// Reference outputs for the tokenizer parity tests, from Hugging Face's Rust tokenizers (npm `tokenizers`, the
// library Python transformers' fast tokenizers run on), configured the way transformers configures it:
//   - padding and truncation stored in tokenizer.json are ignored unless a call asks for them;
//   - truncation: enable_truncation(max_length, strategy, direction = truncation_side), max_length defaulting to
//     model_max_length; a max_length with no padding and no explicit truncation turns truncation on;
//   - padding: enable_padding(length = max_length for "max_length", none for "longest", direction = padding_side,
//     pad_id = id of pad_token, pad_type_id, pad_to_multiple_of);
//   - Llama/Gemma-style classes rebuild the post-processor from add_bos_token / add_eos_token
//     (transformers' update_post_processor).
// Writes artifacts/references/tokenization/<tokenizer>/<config>.json. Offsets are converted to UTF-16 code units.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Tokenizer } from 'tokenizers';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..', '..');
const outRoot = path.join(root, 'artifacts', 'references', 'tokenization');
const corpus = fs.readFileSync(path.join(root, 'testdata', 'tokenization', 'corpus.jsonl'), 'utf8')
  .split('\n').filter(l => l.length > 0).map(l => JSON.parse(l));

const BOS_EOS_CLASSES = new Set(['LlamaTokenizer', 'LlamaTokenizerFast', 'CodeLlamaTokenizer', 'CodeLlamaTokenizerFast',
  'GemmaTokenizer', 'GemmaTokenizerFast', 'CohereTokenizer', 'CohereTokenizerFast']);

// The configurations every real tokenizer is checked in (see EncodeOptions on the .NET side).
const CONFIGS = [
  { id: 'default', offsets: true, decode: true },
  { id: 'no-special', addSpecialTokens: false, offsets: true },
  { id: 'trunc16', truncation: true, maxLength: 16 },
  { id: 'trunc64', truncation: true, maxLength: 64 },
  { id: 'maxlen16-implicit', maxLength: 16 },
  { id: 'trunc-model-max', truncation: true },
  { id: 'max64', padding: 'max_length', truncation: true, maxLength: 64 },
  { id: 'longest-trunc64-batch8', padding: 'longest', truncation: true, maxLength: 64, batchSize: 8 },
  { id: 'longest-multiple8-batch5', padding: 'longest', padToMultipleOf: 8, batchSize: 5 },
  { id: 'max12-no-trunc', padding: 'max_length', maxLength: 12, truncation: false },
];

// The hand-written fixtures: the main configurations minus the model-length ones, plus pairs and every truncation
// strategy. The Split-behavior fixtures only need the default encoding and pairs.
const FIXTURE_CONFIGS = [
  ...CONFIGS.filter(c => !['trunc64', 'trunc-model-max', 'maxlen16-implicit', 'longest-multiple8-batch5'].includes(c.id)),
  { id: 'pairs', pairs: true, offsets: true },
  { id: 'pairs-longest-first24', pairs: true, truncation: true, maxLength: 24 },
  { id: 'pairs-only-first24', pairs: true, truncation: true, maxLength: 24, strategy: 'OnlyFirst' },
  { id: 'pairs-only-second24', pairs: true, truncation: true, maxLength: 24, strategy: 'OnlySecond' },
  { id: 'pairs-longest-trunc20-batch4', pairs: true, padding: 'longest', truncation: true, maxLength: 20, batchSize: 4 },
];
const SPLIT_FIXTURE_CONFIGS = FIXTURE_CONFIGS.filter(c => c.id === 'default' || c.id === 'pairs');

function readJson(file) {
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : null;
}

function tokenContent(value) {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && typeof value.content === 'string') return value.content;
  return null;
}

// transformers' reading of tokenizer_config.json + special_tokens_map.json + the stored padding/truncation.
function settings(json, config, specialTokensMap) {
  const cfg = config ?? {};
  const stm = specialTokensMap ?? {};
  const stored = json.padding ?? null;
  const max = typeof cfg.model_max_length === 'number' && cfg.model_max_length > 0 && cfg.model_max_length < 1e15
    ? Math.min(cfg.model_max_length, 2147483647) : null;
  return {
    modelMaxLength: max,
    paddingSide: cfg.padding_side ?? (stored ? stored.direction.toLowerCase() : 'right'),
    truncationSide: cfg.truncation_side ?? (json.truncation?.direction ? json.truncation.direction.toLowerCase() : 'right'),
    padToken: tokenContent(stm.pad_token) ?? tokenContent(cfg.pad_token) ?? stored?.pad_token ?? null,
    padTypeId: stored?.pad_type_id ?? 0,
    bos: tokenContent(stm.bos_token) ?? tokenContent(cfg.bos_token),
    eos: tokenContent(stm.eos_token) ?? tokenContent(cfg.eos_token),
    addBos: cfg.add_bos_token,
    addEos: cfg.add_eos_token,
    cls: cfg.tokenizer_class ?? null,
  };
}

function idOf(json, token) {
  const added = (json.added_tokens ?? []).find(t => t.content === token);
  if (added) return added.id;
  const vocab = json.model.vocab;
  if (Array.isArray(vocab)) {
    const i = vocab.findIndex(v => v[0] === token);
    return i >= 0 ? i : null;
  }
  return Object.prototype.hasOwnProperty.call(vocab, token) ? vocab[token] : null;
}

// transformers' update_post_processor for Llama/Gemma-style tokenizers.
function applyBosEos(json, s) {
  if ((s.addBos === undefined && s.addEos === undefined) || !BOS_EOS_CLASSES.has(s.cls)) return;
  const addBos = s.addBos === true, addEos = s.addEos === true;
  const single = [], pair = [], special = {};
  const tok = (id, typeId) => ({ SpecialToken: { id, type_id: typeId } });
  const seq = (id, typeId) => ({ Sequence: { id, type_id: typeId } });
  if (addBos) { single.push(tok(s.bos, 0)); special[s.bos] = { id: s.bos, ids: [idOf(json, s.bos)], tokens: [s.bos] }; }
  single.push(seq('A', 0));
  if (addEos) { single.push(tok(s.eos, 0)); special[s.eos] = { id: s.eos, ids: [idOf(json, s.eos)], tokens: [s.eos] }; }
  pair.push(...single);
  if (addBos) pair.push(tok(s.bos, 1));
  pair.push(seq('B', 1));
  if (addEos) pair.push(tok(s.eos, 1));
  json.post_processor = { type: 'TemplateProcessing', single, pair, special_tokens: special };
}

function configure(tokenizer, s, padId, cfg) {
  const truncation = cfg.truncation ?? (cfg.maxLength != null && (cfg.padding ?? 'none') === 'none');
  const limit = cfg.maxLength ?? s.modelMaxLength;
  if (truncation && limit != null) {
    tokenizer.setTruncation(limit, { strategy: cfg.strategy ?? 'LongestFirst', direction: s.truncationSide, stride: 0 });
  } else {
    tokenizer.disableTruncation();
  }
  const padding = cfg.padding ?? 'none';
  const fixed = padding === 'max_length' ? (cfg.maxLength ?? s.modelMaxLength) : null;
  if (padding === 'longest' || (padding === 'max_length' && fixed != null)) {
    const options = { direction: s.paddingSide, padId, padTypeId: s.padTypeId, padToken: s.padToken };
    if (fixed != null) options.maxLength = fixed;
    if (cfg.padToMultipleOf != null) options.padToMultipleOf = cfg.padToMultipleOf;
    tokenizer.setPadding(options);
  } else {
    tokenizer.disablePadding();
  }
}

// Maps code point offsets (what the binding reports) to UTF-16 offsets.
function utf16Map(text) {
  const map = [];
  let u = 0;
  for (const ch of text) { map.push(u); u += ch.length; }
  map.push(u);
  return map;
}

function record(encoding, texts, withOffsets) {
  const r = {
    ids: encoding.getIds(),
    mask: encoding.getAttentionMask().join(''),
    types: encoding.getTypeIds().join(''),
    special: encoding.getSpecialTokensMask().join(''),
  };
  if (withOffsets) {
    const seq = encoding.getSequenceIds();
    const maps = texts.map(utf16Map);
    r.offsets = encoding.getOffsets().flatMap(([s, e], i) => {
      const m = maps[seq[i] ?? 0];
      return [m[Math.min(s, m.length - 1)], m[Math.min(e, m.length - 1)]];
    });
  }
  return r;
}

async function run(name, json, config, specialTokensMap, configs, inputs) {
  const started = Date.now();
  const s = settings(json, config, specialTokensMap);
  applyBosEos(json, s);
  const tokenizer = Tokenizer.fromString(JSON.stringify(json));
  const padId = s.padToken != null ? tokenizer.tokenToId(s.padToken) : null;
  const dir = path.join(outRoot, name);
  fs.mkdirSync(dir, { recursive: true });

  // Vocabulary lookups: the size with added tokens, and token <-> id for the special tokens and a spread of ids.
  const size = tokenizer.getVocabSize(true);
  const probeIds = [0, 1, 2, 3, 100, 1000, 5000, Math.floor(size / 2), size - 2, size - 1, size, size + 5];
  const probeTokens = [...(json.added_tokens ?? []).slice(0, 20).map(t => t.content), 'the', 'hello', '\u2581the', 'Ġthe', 'the</w>', '##ing', 'not-a-token-xyz'];
  fs.writeFileSync(path.join(dir, 'vocab.json'), JSON.stringify({
    size,
    ids: probeIds.map(id => [id, tokenizer.idToToken(id) ?? null]),
    tokens: probeTokens.map(t => [t, tokenizer.tokenToId(t) ?? null]),
  }));
  for (const cfg of configs) {
    configure(tokenizer, s, padId, cfg);
    const add = { addSpecialTokens: cfg.addSpecialTokens ?? true };
    const results = [];
    const items = cfg.pairs ? inputs.pairs : inputs.singles;
    const batch = cfg.batchSize ?? items.length;
    for (let start = 0; start < items.length; start += batch) {
      const chunk = items.slice(start, start + batch);
      let encodings = null;
      try {
        if (cfg.pairs) {
          // The binding's encodeBatch takes no pairs: encode them one by one, then pad the batch with the
          // library's own Encoding.pad, to the longest (rounded up to the multiple) as pad_encodings does.
          encodings = await Promise.all(chunk.map(([a, b]) => tokenizer.encode(a, b, add)));
          if ((cfg.padding ?? 'none') === 'longest') {
            let target = Math.max(...encodings.map(e => e.getLength()));
            if (cfg.padToMultipleOf && target % cfg.padToMultipleOf !== 0) target += cfg.padToMultipleOf - (target % cfg.padToMultipleOf);
            for (const e of encodings) e.pad(target, { direction: s.paddingSide, padId, padTypeId: s.padTypeId, padToken: s.padToken });
          }
        } else {
          encodings = await tokenizer.encodeBatch(chunk, add);
        }
      } catch (e) {
        encodings = null;
      }
      if (encodings === null) {
        // One failing input fails a Rust batch: record each input on its own so the error is attributed.
        for (const item of chunk) {
          try {
            const e = cfg.pairs ? await tokenizer.encode(item[0], item[1], add) : await tokenizer.encode(item, null, add);
            results.push(record(e, cfg.pairs ? item : [item], cfg.offsets));
          } catch (err) {
            results.push({ error: String(err.message ?? err) });
          }
        }
        continue;
      }
      for (let i = 0; i < encodings.length; i++) {
        const item = chunk[i];
        const r = record(encodings[i], cfg.pairs ? item : [item], cfg.offsets);
        if (cfg.decode) {
          r.decoded = await tokenizer.decode(encodings[i].getIds(), false);
          r.decodedSkip = await tokenizer.decode(encodings[i].getIds(), true);
        }
        results.push(r);
      }
    }
    fs.writeFileSync(path.join(dir, `${cfg.id}.json`), JSON.stringify({ tokenizer: name, config: cfg, count: results.length, results }));
  }
  console.log(`references: tokenization/${name} (${configs.length} configurations, ${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

const singles = corpus;
// The fixtures take every hand-picked edge case (the corpus starts with them) and a share of the generated strings.
const fixtureSingles = corpus.slice(0, 700);
const pairs = [];
for (let i = 0; i + 1 < fixtureSingles.length; i += 2) pairs.push([fixtureSingles[i], fixtureSingles[i + 1]]);

fs.mkdirSync(outRoot, { recursive: true });

// Real tokenizers.
const gemmaDir = path.join(root, 'artifacts', 'tokenizers', 'gemma3');
const gemmaJson = fs.readFileSync(path.join(gemmaDir, 'tokenizer.json'), 'utf8');
const gemmaConfig = readJson(path.join(gemmaDir, 'tokenizer_config.json'));
await run('gemma3', JSON.parse(gemmaJson), gemmaConfig, null, CONFIGS, { singles });

// EmbeddingGemma's configuration of the same tokenizer: EOS appended, right padding.
const eosConfig = { ...gemmaConfig, add_eos_token: true, eos_token: '<eos>', padding_side: 'right' };
fs.mkdirSync(path.join(outRoot, 'gemma3-eos'), { recursive: true });
fs.writeFileSync(path.join(outRoot, 'gemma3-eos', 'tokenizer_config.json'), JSON.stringify(eosConfig, null, 2));
await run('gemma3-eos', JSON.parse(gemmaJson), eosConfig, null, CONFIGS, { singles });

for (const [name, folder] of [['clip', 'clip-vit-base-patch32'], ['minilm', 'all-MiniLM-L6-v2']]) {
  const dir = path.join(root, 'testdata', 'tokenizers', folder);
  await run(name, readJson(path.join(dir, 'tokenizer.json')), readJson(path.join(dir, 'tokenizer_config.json')),
    readJson(path.join(dir, 'special_tokens_map.json')), CONFIGS, { singles });
}

// Hand-written fixtures: testdata/tokenization/fixtures/<name>.json (+ optional <name>.config.json).
const fixtures = path.join(root, 'testdata', 'tokenization', 'fixtures');
for (const file of fs.readdirSync(fixtures).filter(f => f.endsWith('.json') && !f.endsWith('.config.json')).sort()) {
  const name = file.slice(0, -'.json'.length);
  await run(`fixture-${name}`, readJson(path.join(fixtures, file)), readJson(path.join(fixtures, `${name}.config.json`)), null,
    name.startsWith('split-') ? SPLIT_FIXTURE_CONFIGS : FIXTURE_CONFIGS, { singles: fixtureSingles, pairs });
}

fs.writeFileSync(path.join(outRoot, 'meta.json'), JSON.stringify({
  tokenizers: JSON.parse(fs.readFileSync(path.join(root, 'artifacts', 'node', 'node_modules', 'tokenizers', 'package.json'), 'utf8')).version,
  corpus: corpus.length,
}));
