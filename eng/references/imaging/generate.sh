#!/usr/bin/env bash
# Pillow reference outputs for the imaging tests (Debian python3-pil): decoded RGB, resized 8-bit images and
# pixel_values tensors for every image in testdata/images and for edge-case inputs Pillow writes itself.
# Output: artifacts/references/imaging/, plus an AVIF written by sharp (a format Pillow 9.4 cannot read).
# Skipped when the scripts and the test images have not changed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
out="$root/artifacts/references/imaging"
python=/usr/bin/python3

state=$( (sha256sum "$here/pillow_reference.py" "$here/sharp_inputs.mjs"; find "$root/testdata/images" -type f -print0 | sort -z | xargs -0 sha256sum | sed "s|$root/||"; "$python" -c 'import PIL, numpy; print(PIL.__version__, numpy.__version__)') | sha256sum | cut -d' ' -f1)
if [ -f "$out/manifest.json" ] && [ "$(cat "$out/.stamp" 2>/dev/null)" = "$state" ]; then
  exit 0
fi

rm -rf "$out"
mkdir -p "$out"
"$python" "$here/pillow_reference.py" "$root" "$out"
node "$here/sharp_inputs.mjs" "$root" "$out/sharp-inputs"
echo "$state" > "$out/.stamp"
