#!/usr/bin/env bash
# Consumer test: packs the packages under a version no package cache can already hold, restores a throwaway app
# (tests/Consumer) against them through a local folder feed, outside the repository, and runs it: AddEmbeddings(),
# a text and an image with the tiny generated models, MapEmbeddings() on loopback. ONNX Runtime and libvips are found
# through the documented environment variables, as a user with a system install would point at them.
# Needs eng/prepare.sh to have run (models and native libraries).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
started=$SECONDS
version="0.0.0-consumer.$(date -u +%Y%m%d%H%M%S).$$"
feed="$root/artifacts/packages"
work=$(mktemp -d -t embeddings-consumer.XXXXXX)
cleanup() {
  rm -rf "$work"
  rm -f "$feed"/*."$version".nupkg "$feed"/*."$version".snupkg
}
trap cleanup EXIT

# The machine's package cache serves the dependencies (read-only); our packages restore into a fresh folder, so a
# stale copy can never be tested.
global=$(dotnet nuget locals global-packages --list --force-english-output | sed -n 's/^global-packages: //p')

EMBEDDINGS_PACKAGES_DIR="$feed" bash "$root/eng/pack.sh" -p:Version="$version" --artifacts-path "$work/build" >/dev/null

echo "consumer: packed $version in $((SECONDS - started)) s"
for package in Embeddings Embeddings.AspNetCore Embeddings.Usage.PostgreSql; do
  nupkg="$feed/$package.$version.nupkg"
  [ -f "$nupkg" ] || { echo "consumer: $nupkg is missing" >&2; exit 1; }
  [ -f "$feed/$package.$version.snupkg" ] || { echo "consumer: the symbols package of $package is missing" >&2; exit 1; }
  listing=$(/usr/bin/python3 -c 'import sys, zipfile; print("\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))' "$nupkg")
  for entry in README.md "lib/net10.0/$package.dll" "lib/net10.0/$package.xml"; do
    grep -qxF "$entry" <<<"$listing" || { echo "consumer: $package has no $entry" >&2; exit 1; }
  done
  nuspec=$(/usr/bin/python3 -c 'import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode("utf-8-sig"))' "$nupkg" "$package.nuspec")
  grep -q '<license type="expression">Apache-2.0</license>' <<<"$nuspec" || { echo "consumer: $package has no license expression" >&2; exit 1; }
  grep -q '<readme>README.md</readme>' <<<"$nuspec" || { echo "consumer: $package names no readme" >&2; exit 1; }
  grep -q '<repository [^>]*commit="[0-9a-f]\{40\}"' <<<"$nuspec" || { echo "consumer: $package has no source commit (SourceLink)" >&2; exit 1; }
done

app="$work/app"
mkdir -p "$app"
cp "$root/tests/Consumer/Consumer.csproj" "$root/tests/Consumer/Program.cs" "$app/"
# Stop MSBuild from looking above the app for build or package-version files.
echo '<Project />' > "$app/Directory.Build.props"
echo '<Project />' > "$app/Directory.Build.targets"
echo '<Project />' > "$app/Directory.Packages.props"
cat > "$app/NuGet.config" <<CONFIG
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="embeddings-local" value="$feed" />
  </packageSources>
  <fallbackPackageFolders>
    <add key="machine-cache" value="$global" />
  </fallbackPackageFolders>
</configuration>
CONFIG

export NUGET_PACKAGES="$work/nuget-packages"
dotnet build "$app/Consumer.csproj" -c Release -p:EmbeddingsPackageVersion="$version" --nologo -v quiet -o "$app/bin"
restored=$(find "$NUGET_PACKAGES/embeddings" -maxdepth 1 -mindepth 1 -printf '%f\n')
[ "$restored" = "$version" ] || { echo "consumer: restored Embeddings '$restored', expected $version" >&2; exit 1; }

native="$root/artifacts/native/linux-x64"
export EMBEDDINGS_ONNXRUNTIME_PATH="$native/libonnxruntime.so"
EMBEDDINGS_LIBVIPS_PATH=$(ls "$native"/libvips-cpp.so.* | head -n 1)
export EMBEDDINGS_LIBVIPS_PATH
images="$root/testdata/images"
export Logging__LogLevel__Default=Warning
(cd "$work" && dotnet "$app/bin/Consumer.dll" "$root/artifacts/models/tiny/siglip2" "$root/artifacts/models/tiny/embeddinggemma" \
  "$images/dog_beach.jpg" "$images/rocket_launch.jpg")

# The command-line tool as a user installs it: `dotnet tool install` from the same feed, then one tokenize call.
[ -f "$feed/Embeddings.Cli.$version.nupkg" ] || { echo "consumer: the Embeddings.Cli tool package is missing" >&2; exit 1; }
(cd "$app" && dotnet tool install Embeddings.Cli --version "$version" --tool-path "$work/tool" >/dev/null)
ids=$(echo '"a photo of a dog"' | "$work/tool/embeddings" tokenize --tokenizer "$root/testdata/tokenizers/all-MiniLM-L6-v2")
case "$ids" in
  '{"ids":[101,'*) echo "consumer: ok: the installed embeddings tool tokenizes ($ids)" ;;
  *) echo "consumer: the installed tool printed '$ids'" >&2; exit 1 ;;
esac
echo "consumer: passed in $((SECONDS - started)) s"
