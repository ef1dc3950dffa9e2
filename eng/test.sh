#!/usr/bin/env bash
# The test command: installs what is missing, prepares models and references, builds and runs every test.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/eng/prerequisites.sh"
bash "$root/eng/prepare.sh"
dotnet test "$root/Embeddings.sln" -c Release "$@"
