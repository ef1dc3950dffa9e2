#!/usr/bin/env bash
# Runs every reference generator (eng/references/<component>/generate.sh). Each writes the outputs of an
# independent implementation (Hugging Face tokenizers, Pillow, onnxruntime-node, transformers.js) into
# artifacts/references/<component>/, which the tests compare the library against.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
for script in "$here"/*/generate.sh; do
  [ -e "$script" ] || continue
  echo "references: $(basename "$(dirname "$script")")"
  bash "$script"
done
