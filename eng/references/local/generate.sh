#!/usr/bin/env bash
# transformers.js (offline, on the tiny generated models) vectors for the local provider's parity tests, into
# artifacts/references/local/: text embeddings (SigLIP2, EmbeddingGemma with every prompt and Matryoshka, MiniLM,
# CLIP), image embeddings on Pillow-made pixel tensors and on transformers.js's own preprocessing, and zero-shot
# scores. Skipped when neither this folder nor the models changed since the last run.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
models="${1:-$root/artifacts/models/tiny}"
out="${2:-$root/artifacts/references/local}"
images=(cat_bamboo_chair.jpg landscape_mountains.jpg rocket_launch.jpg dog_beach.jpg food_coffee.png coffee_exif_orientation6.jpg skimage_logo_rgba.png)

state=$( { cat "$here"/*.mjs "$here"/*.py "$here"/*.sh; for i in "${images[@]}"; do sha256sum "$root/testdata/images/$i"; done;
  [ -d "$models" ] && find "$models" \( -name '*.onnx' -o -name '*.json' \) -print0 | sort -z | xargs -0 -r sha256sum; } | sha256sum | cut -d' ' -f1)
if [ -f "$out/index.json" ] && [ "$(cat "$out/.stamp" 2>/dev/null)" = "$state" ]; then
  exit 0
fi

rm -rf "$out"
mkdir -p "$out"
paths=()
for i in "${images[@]}"; do paths+=("$root/testdata/images/$i"); done
for model in siglip2 clip; do
  /usr/bin/python3 "$here/pillow_tensors.py" "$models/$model" "$out/pixels/$model" "${paths[@]}"
done
node "$here/generate.mjs" "$models" "$out" "${images[@]}"
echo "$state" > "$out/.stamp"
