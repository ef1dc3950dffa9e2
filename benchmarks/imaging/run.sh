#!/usr/bin/env bash
# Image decoding + preprocessing side by side, one thread each, in one run: Pillow (the Python reference path),
# sharp (libvips from node) and this library (BenchmarkDotNet, in process). Encoded JPEG bytes in memory ->
# 224x224 normalized CHW float32, bilinear and bicubic, for the 1920 px and the 4000 px photo.
# Usage: bash benchmarks/imaging/run.sh [min seconds per peer case, default 5]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
seconds=${1:-5}
out="$root/artifacts/bench/imaging"
mkdir -p "$out"
images=("$root/testdata/images/landscape_mountains.jpg" "$root/testdata/images/landscape_mountains_4000px.jpg")

dotnet build "$root/benchmarks/Embeddings.Benchmarks" -c Release -v quiet -nologo >/dev/null

: > "$out/peers.jsonl"
OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 /usr/bin/python3 "$here/pillow_bench.py" "$seconds" 10 "${images[@]}" | tee -a "$out/peers.jsonl"
UV_THREADPOOL_SIZE=1 node "$here/sharp_bench.mjs" "$seconds" 10 "${images[@]}" | tee -a "$out/peers.jsonl"

rm -rf "$out/bdn"
dotnet run -c Release --no-build --project "$root/benchmarks/Embeddings.Benchmarks" -- \
  --filter '*ImagePreprocessingBenchmarks*' --inProcess --exporters json --artifacts "$out/bdn" >"$out/bdn.log"
report=$(ls "$out"/bdn/results/*ImagePreprocessingBenchmarks*-report-full*.json | head -n 1)

echo
echo "$(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m)"
/usr/bin/python3 "$here/summarize.py" "$out/peers.jsonl" "$report"
