#!/usr/bin/env bash
# onnxruntime-node's outputs for every tiny generated model (artifacts/models/tiny), on deterministic inputs, into
# artifacts/references/onnx/. Skipped when neither this folder nor the models changed since the last run.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
models="${1:-$root/artifacts/models/tiny}"
out="${2:-$root/artifacts/references/onnx}"

state=$( { cat "$here"/*.mjs "$here"/*.sh; [ -d "$models" ] && find "$models" -name '*.onnx' -print0 | sort -z | xargs -0 -r sha256sum; } | sha256sum | cut -d' ' -f1)
if [ -f "$out/index.json" ] && [ "$(cat "$out/.stamp" 2>/dev/null)" = "$state" ]; then
  exit 0
fi

node "$here/generate.mjs" "$models" "$out"
echo "$state" > "$out/.stamp"
