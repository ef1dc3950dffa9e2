#!/usr/bin/env bash
# Image decoding + preprocessing side by side, one thread each: Pillow (the Python reference path), sharp (libvips
# from node) and this library (exact path and shrink-on-load). Encoded JPEG bytes in memory -> 224x224 normalized
# CHW float32, bilinear and bicubic, for the 1920 px and the 4000 px photo. The three run in turn, for several
# rounds, so a busy machine slows them alike; the table takes each case's median over the rounds, of wall-clock
# time and of process CPU time.
# Usage: bash benchmarks/imaging/run.sh [rounds, default 3] [seconds per case and round, default 2]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
rounds=${1:-3}
seconds=${2:-2}
out="$root/artifacts/bench/imaging"
mkdir -p "$out"
images=("$root/testdata/images/landscape_mountains.jpg" "$root/testdata/images/landscape_mountains_4000px.jpg")

bash "$root/eng/prepare.sh"
export EMBEDDINGS_LIBVIPS_PATH
EMBEDDINGS_LIBVIPS_PATH=$(ls "$root"/artifacts/native/linux-x64/libvips-cpp.so.* | head -n 1)
dotnet build -c Release "$root/benchmarks/Embeddings.Benchmarks" -v quiet -nologo >/dev/null
ours="$root/benchmarks/Embeddings.Benchmarks/bin/Release/net10.0/Embeddings.Benchmarks.dll"

results="$out/results.jsonl"
: > "$results"
for round in $(seq "$rounds"); do
  OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 /usr/bin/python3 "$here/pillow_bench.py" "$seconds" 10 "${images[@]}" >> "$results"
  UV_THREADPOOL_SIZE=1 node "$here/sharp_bench.mjs" "$seconds" 10 "${images[@]}" >> "$results"
  dotnet "$ours" side image --min-seconds "$seconds" --min-runs 10 "${images[@]}" >> "$results"
  echo "round $round of $rounds done" >&2
done

echo "$(date -u +%Y-%m-%d), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load average $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/python3 "$here/summarize.py" "$results"
