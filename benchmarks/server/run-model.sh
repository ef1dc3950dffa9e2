#!/usr/bin/env bash
# Load test of POST /predict against `embeddings serve` hosting a real (generated) model, with wrk from a separate
# process, twice: with dynamic batching (the default) and with --max-batch-size 1 (one input per model call, which is
# what the LitServe server did with max_batch_size=1). Each configuration is measured by run.sh (SERVER_URL mode).
#
#   benchmarks/server/run-model.sh artifacts/models/tiny/embeddinggemma
#
# Environment: DURATION, CONCURRENCY as run.sh; PORT (7861); CONFIGS ("batched single"); SERVE_ARGS (extra arguments
# for `embeddings serve`, e.g. "--threads 2").
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
model=${1:?usage: run-model.sh MODEL_DIR}
port=${PORT:-7861}
configs=${CONFIGS:-"batched single"}
export EMBEDDINGS_TOKEN=${EMBEDDINGS_TOKEN:-bench-token}

dotnet build "$root/src/Embeddings.Cli" -c Release -nologo -v q >/dev/null
dll="$root/src/Embeddings.Cli/bin/Release/net10.0/Embeddings.Cli.dll"
echo "model: $model ($(du -sh "$model" | cut -f1)); $(nproc) cores; $(date -u '+%Y-%m-%d %H:%M UTC'); load average $(cut -d' ' -f1-3 /proc/loadavg)"
for config in $configs; do
  extra=()
  [ "$config" = single ] && extra=(--max-batch-size 1)
  log=$(mktemp)
  auth_token=$EMBEDDINGS_TOKEN dotnet "$dll" serve --model "$model" --port "$port" "${extra[@]}" ${SERVE_ARGS:-} >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 1 600); do
    curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break
    kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; exit 1; }
    sleep 0.2
  done
  echo
  echo "### $config ($([ "$config" = single ] && echo '--max-batch-size 1' || echo 'default dynamic batching'))"
  SERVER_URL="http://127.0.0.1:$port" bash "$root/benchmarks/server/run.sh" | sed -e "s/| external |/| $config |/" -e "s/; fake model.*one call at a time;/;/"
  kill -TERM "$pid"; wait "$pid" || true
  rm -f "$log"
done
