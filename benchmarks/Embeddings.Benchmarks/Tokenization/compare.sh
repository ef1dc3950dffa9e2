#!/usr/bin/env bash
# Tokenization side by side, on the same corpus (testdata/tokenization/corpus.jsonl) and machine:
#   - Hugging Face's Rust tokenizers through npm `tokenizers`, one thread (RAYON_NUM_THREADS=1,
#     TOKENIZERS_PARALLELISM=false): Tokenizer.fromFile, then encodeBatch over the corpus;
#   - this library, one thread, with BenchmarkDotNet: Tokenizer.Create, then Encode per string.
# Prints each side's figures and the ratios (Rust time / .NET time: above 1 means this library is faster).
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
out=${TOKENIZATION_BENCH_OUT:-$(mktemp -d)}
mkdir -p "$out"

bash "$root/eng/prepare.sh"
# The Rust side runs before and after the .NET side; its figures are the mean of the two, so that a machine whose
# speed drifts during the comparison does not favour either side.
rust() {
  echo "tokenization-compare: Rust tokenizers (npm), one thread" >&2
  RAYON_NUM_THREADS=1 TOKENIZERS_PARALLELISM=false node "$root/eng/references/tokenization/bench.mjs" >> "$out/rust.jsonl"
}
rm -f "$out/rust.jsonl"
rust
echo "tokenization-compare: this library (BenchmarkDotNet)" >&2
dotnet run -c Release --project "$root/benchmarks/Embeddings.Benchmarks" -- \
  --filter '*TokenizerEncodeBenchmarks.EncodeCorpus*' '*TokenizerLoadBenchmarks*' \
  --exporters json --artifacts "$out/bdn" >&2
rust

/usr/bin/python3 - "$out" <<'PY'
import glob, json, os, sys
out = sys.argv[1]
runs = {}
for r in (json.loads(l) for l in open(os.path.join(out, "rust.jsonl")) if l.strip()):
    runs.setdefault(r["tokenizer"], []).append(r)
rust = {}
for name, rs in runs.items():
    r = dict(rs[0])
    for key in ("loadFirstMs", "loadMedianMs", "encodeMedianMs", "encodeMinMs"):
        r[key] = sum(x[key] for x in rs) / len(rs)
    rust[name] = r
ours = {}
for f in glob.glob(os.path.join(out, "bdn", "results", "*-report-full-compressed.json")):
    for b in json.load(open(f))["Benchmarks"]:
        name = b["Parameters"].split("=")[1]
        ours[(b["Method"], name)] = b["Statistics"]
print(f"| tokenizer | strings | tokens | Rust encodeBatch median ms | .NET Encode median ms | speed-up (Rust/.NET) | .NET tokens/s |")
print("|---|---|---|---|---|---|---|")
for name, r in rust.items():
    s = ours.get(("EncodeCorpus", name))
    if s is None:
        continue
    ms = s["Median"] / 1e6
    print(f"| {name} | {r['strings']} | {r['tokens']} | {r['encodeMedianMs']:.1f} | {ms:.1f} | {r['encodeMedianMs'] / ms:.2f}x | {r['tokens'] / ms * 1000 / 1e6:.2f} M |")
print()
print("| tokenizer | Rust fromFile first / median ms | .NET Create median ms (min) | speed-up (Rust median/.NET median) |")
print("|---|---|---|---|")
for name, r in rust.items():
    s = ours.get(("Load", name))
    if s is None:
        continue
    ms, mn = s["Median"] / 1e6, s["Min"] / 1e6
    print(f"| {name} | {r['loadFirstMs']:.0f} / {r['loadMedianMs']:.0f} | {ms:.0f} ({mn:.0f}) | {r['loadMedianMs'] / ms:.2f}x |")
PY
