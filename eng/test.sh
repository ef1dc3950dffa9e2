#!/usr/bin/env bash
# The test command: installs what is missing, prepares models and references, builds and runs every test.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/eng/prerequisites.sh"
bash "$root/eng/prepare.sh"
dotnet test "$root/Embeddings.sln" -c Release "$@"
# The packages as a user gets them (skipped when arguments narrow the run, e.g. --filter).
if [ $# -eq 0 ]; then
  bash "$root/eng/consumer-test.sh"
fi
