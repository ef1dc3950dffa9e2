#!/usr/bin/env bash
# Tokenizer references: checks that the committed corpus and fixtures are what their generators produce,
# then encodes the corpus with Hugging Face's Rust tokenizers (npm `tokenizers`) configured as Python transformers
# configures it, into artifacts/references/tokenization/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
/usr/bin/python3 "$here/make_corpus.py" "$tmp/corpus.jsonl" >/dev/null
if ! cmp -s "$tmp/corpus.jsonl" "$root/testdata/tokenization/corpus.jsonl"; then
  echo "references/tokenization: testdata/tokenization/corpus.jsonl differs from make_corpus.py's output; rerun it" >&2
  exit 1
fi

/usr/bin/python3 "$here/make_fixtures.py" "$tmp/fixtures" >/dev/null
if ! diff -rq "$tmp/fixtures" "$root/testdata/tokenization/fixtures" >/dev/null; then
  echo "references/tokenization: testdata/tokenization/fixtures differs from make_fixtures.py's output; rerun it" >&2
  exit 1
fi

rm -rf "$root/artifacts/references/tokenization"
node "$here/generate.mjs"
