#!/usr/bin/env bash
# Reliability references: the hostile texts of the reliability suite (control characters, noncharacters, broken
# surrogates, combining floods, special-token literals, ...) encoded by Hugging Face's Rust tokenizers (npm
# `tokenizers`) with the real CLIP, MiniLM and Gemma 3 tokenizers, into artifacts/references/reliability/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
out="$root/artifacts/references/reliability"
mkdir -p "$out"
node "$here/tokenizers.mjs" "$root" "$out/tokenizers.json"
