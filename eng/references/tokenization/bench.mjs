// Times Hugging Face's Rust tokenizers (npm `tokenizers`) on the tokenizer corpus: Tokenizer.fromFile for the load,
// encodeBatch over the whole corpus (special tokens on, no padding) for the encoding. Run it with
// RAYON_NUM_THREADS=1 TOKENIZERS_PARALLELISM=false to time one thread. Prints one JSON object per tokenizer.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Tokenizer } from 'tokenizers';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..', '..');
const corpus = fs.readFileSync(path.join(root, 'testdata', 'tokenization', 'corpus.jsonl'), 'utf8')
  .split('\n').filter(l => l.length > 0).map(l => JSON.parse(l));
const folders = {
  gemma3: path.join(root, 'artifacts', 'tokenizers', 'gemma3'),
  clip: path.join(root, 'testdata', 'tokenizers', 'clip-vit-base-patch32'),
  minilm: path.join(root, 'testdata', 'tokenizers', 'all-MiniLM-L6-v2'),
};
const loads = Number(process.env.BENCH_LOADS ?? 5);
const runs = Number(process.env.BENCH_RUNS ?? 15);
const median = xs => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

for (const [name, dir] of Object.entries(folders)) {
  const file = path.join(dir, 'tokenizer.json');
  const loadTimes = [];
  let tokenizer = null;
  for (let i = 0; i < loads; i++) {
    const t0 = process.hrtime.bigint();
    tokenizer = Tokenizer.fromFile(file);
    loadTimes.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  tokenizer.disablePadding();
  tokenizer.disableTruncation();
  let tokens = 0;
  for (const e of await tokenizer.encodeBatch(corpus)) tokens += e.getLength();
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    await tokenizer.encodeBatch(corpus);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  console.log(JSON.stringify({
    tokenizer: name, strings: corpus.length, tokens,
    loadFirstMs: loadTimes[0], loadMedianMs: median(loadTimes),
    encodeMedianMs: median(times), encodeMinMs: Math.min(...times),
  }));
}
