#!/usr/bin/env bash
# Load test of POST /predict with wrk (Debian's wrk, a separate process) at several concurrencies.
#
#   benchmarks/server/run.sh
#
# By default it starts the benchmark project's fake-model server twice, once through MapEmbeddings() and once as the
# peer a user would otherwise write (a bare minimal-API endpoint calling the provider once per request), and prints
# one markdown table. The fake model takes PER_CALL_MS + PER_INPUT_MS per input for each call and runs one call at a
# time (a CPU busy with one ONNX session).
#
# Environment:
#   DURATION (10s)  CONCURRENCY ("1 8 64")  SERVERS ("embeddings bare")  PER_CALL_MS (10)  PER_INPUT_MS (1)
#   ROUNDS (1)      rounds of every server and concurrency, interleaved; each cell is the median over the rounds
#   PORT (7860)  EMBEDDINGS_TOKEN (bench-token)  MAX_CONCURRENT_BATCHES (the server's default)
#   WRK_TIMEOUT (2s, wrk's default)  requests slower than this count as timeouts, not in the latency figures
#   SERVER_URL      measure an already running server instead (for example samples/EmbeddingServer with a real
#                   model): its base URL; EMBEDDINGS_TOKEN must be its token.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
here="$root/benchmarks/server"
duration=${DURATION:-10s}
concurrency=${CONCURRENCY:-"1 8 64"}
servers=${SERVERS:-"embeddings bare"}
rounds=${ROUNDS:-1}
per_call=${PER_CALL_MS:-10}
per_input=${PER_INPUT_MS:-1}
port=${PORT:-7860}
export EMBEDDINGS_TOKEN=${EMBEDDINGS_TOKEN:-bench-token}

command -v wrk >/dev/null || { echo "run.sh: wrk is not installed (apt-get install wrk)" >&2; exit 1; }
command -v curl >/dev/null || { echo "run.sh: curl is not installed" >&2; exit 1; }

# Latency figure from wrk ("812.00us", "1.23ms", "2.01s") in milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN {
    n = v + 0
    if (v ~ /us$/) n = n / 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n = n * 1000
    printf "%.2f", n }'
}

stats() { curl -sf "$1/bench/stats" 2>/dev/null || echo '{"calls":0,"inputs":0}'; }
field() { sed -n "s/.*\"$2\":\([0-9]*\).*/\1/p" <<<"$1"; }

declare -A cells=()
measure() {  # $1 label, $2 base URL; appends "rps p50 p99 errors batch" per concurrency to cells
  local label=$1 url=$2
  # Warm up (JIT, connections) before measuring.
  wrk -t2 -c8 -d2s -s "$here/predict.lua" "$url/predict" >/dev/null
  for c in $concurrency; do
    local threads=$(( c < 2 ? 1 : 2 ))
    local before after out rps p50 p99 errors calls inputs batch
    before=$(stats "$url")
    out=$(wrk -t"$threads" -c"$c" -d"$duration" --timeout "${WRK_TIMEOUT:-2s}" --latency -s "$here/predict.lua" "$url/predict")
    after=$(stats "$url")
    rps=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' <<<"$out")
    p50=$(to_ms "$(awk '$1 == "50%" {print $2}' <<<"$out")")
    p99=$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")
    errors=$(awk '/Non-2xx or 3xx responses:/ {print $5}' <<<"$out"); errors=${errors:-0}
    timeouts=$(awk '/Socket errors:/ {print $NF}' <<<"$out"); timeouts=${timeouts:-0}
    calls=$(( $(field "$after" calls) - $(field "$before" calls) ))
    inputs=$(( $(field "$after" inputs) - $(field "$before" inputs) ))
    batch=$(awk -v i="$inputs" -v c="$calls" 'BEGIN { if (c > 0) printf "%.1f", i / c; else print "-" }')
    cells["$label $c"]+="$rps $p50 $p99 $errors $batch $timeouts"$'\n'
  done
}

# The median of column $2 of the lines in $1 (errors and timeouts: the sum).
median() {
  if [ "$2" = 4 ] || [ "$2" = 6 ]; then
    awk -v col="$2" 'NF { s += $col } END { print s + 0 }' <<<"$1"
    return
  fi
  local sorted n
  sorted=$(awk -v col="$2" 'NF { print $col }' <<<"$1" | sort -g)
  n=$(wc -l <<<"$sorted")
  sed -n "$(( (n + 1) / 2 ))p" <<<"$sorted"
}

labels=()
if [ -n "${SERVER_URL:-}" ]; then
  labels=(external)
  for _ in $(seq 1 "$rounds"); do measure external "${SERVER_URL%/}"; done
else
  labels=($servers)
  dotnet build "$root/benchmarks/Embeddings.Benchmarks" -c Release -nologo -v q >/dev/null
  dll="$root/benchmarks/Embeddings.Benchmarks/bin/Release/net10.0/Embeddings.Benchmarks.dll"
  for _ in $(seq 1 "$rounds"); do
    for server in $servers; do
      log=$(mktemp)
      dotnet "$dll" server-fake --server "$server" --port "$port" --per-call-ms "$per_call" --per-input-ms "$per_input" \
        ${MAX_CONCURRENT_BATCHES:+--max-concurrent-batches "$MAX_CONCURRENT_BATCHES"} >"$log" 2>&1 &
      pid=$!
      for _ in $(seq 1 300); do
        curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break
        kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; exit 1; }
        sleep 0.1
      done
      measure "$server" "http://127.0.0.1:$port"
      kill -TERM "$pid"; wait "$pid" || true
      rm -f "$log"
    done
  done
fi

echo "POST /predict {\"query\"}, wrk ${duration} per cell, median of ${rounds} interleaved round(s); fake model ${per_call} ms per call + ${per_input} ms per input, one call at a time;"
echo "$(nproc) cores, $(date -u '+%Y-%m-%d %H:%M UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| server | connections | requests/s | p50 (ms) | p99 (ms) | non-2xx | timeouts | inputs per model call |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
for label in "${labels[@]}"; do
  for c in $concurrency; do
    runs=${cells["$label $c"]}
    echo "| $label | $c | $(median "$runs" 1) | $(median "$runs" 2) | $(median "$runs" 3) | $(median "$runs" 4) | $(median "$runs" 6) | $(median "$runs" 5) |"
  done
done
