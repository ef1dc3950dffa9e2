#!/usr/bin/env bash
# Reference for the Models component: the Dense weights of the tiny embeddinggemma-dense model, read by numpy
# (an implementation of the safetensors format independent of the library's), written as JSON to
# artifacts/references/models/dense-weights.json.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
model="$root/artifacts/models/tiny/embeddinggemma-dense"
out="$root/artifacts/references/models"
mkdir -p "$out"
/usr/bin/python3 "$root/eng/references/models/dense_weights.py" "$model" "$out/dense-weights.json"
