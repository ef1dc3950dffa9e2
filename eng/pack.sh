#!/usr/bin/env bash
# Packs every shipped package (src/*: .nupkg with its PACKAGE.md readme, XML docs and SourceLink metadata, plus a
# .snupkg symbols package) into artifacts/packages, running package validation. Arguments go to every `dotnet pack`,
# for example -p:Version=1.2.3.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${EMBEDDINGS_PACKAGES_DIR:-$root/artifacts/packages}
mkdir -p "$out"
for project in "$root"/src/*/*.csproj; do
  dotnet pack "$project" -c Release -o "$out" --nologo -v quiet "$@"
done
ls -1 "$out"
