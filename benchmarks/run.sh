#!/usr/bin/env bash
# The side-by-side harness: this library against the peers a user would pick instead, on the same inputs on this
# machine, with ratios, GFLOP/s and each side's peak memory. Results go to artifacts/benchmarks/results-<date>.json;
# a full run of everything also regenerates the results block of benchmarks/README.md.
#
#   bash benchmarks/run.sh [--quick] [--only KEY,KEY] [--threads N] [--readme | --no-readme]
#
#   --quick    tiny models and few iterations (a few minutes): a smoke check of the plumbing, not figures to quote
#   --only     some comparisons: onnx, tokenization, imaging, inference, local, remote, cache, server, fallback
#   --threads  thread budget of the inference and end-to-end comparisons, the same for every side (default: all CPUs)
#
# On a fresh machine it installs what it needs first: Debian packages (eng/prerequisites.sh, as root), the native
# runtimes and peer packages (eng/restore-assets.sh, via eng/prepare.sh), the full-size synthetic models
# (eng/models/generate.py full, about 70 s and 4.6 GB) and the benchmark app (dotnet build). The full mode is sized
# to finish in under 30 minutes on 2 cores.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

quick=0
only=""
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[$i]}" in
    --quick) quick=1 ;;
    --only) only=${args[$((i + 1))]:-} ;;
  esac
done
wants() { [ -z "$only" ] || [[ ",$only," == *",$1,"* ]]; }

bash eng/prerequisites.sh || echo "benchmarks: prerequisites incomplete; the comparisons that need them will be reported as failed" >&2
bash eng/prepare.sh
if [ "$quick" = 0 ] && { wants inference || wants local; }; then
  /usr/bin/python3 eng/models/generate.py full --out artifacts/models/full
fi
dotnet build -c Release benchmarks/Embeddings.Benchmarks -nologo -v quiet
exec /usr/bin/python3 benchmarks/sidebyside/harness.py run --command "bash benchmarks/run.sh${*:+ $*}" "$@"
