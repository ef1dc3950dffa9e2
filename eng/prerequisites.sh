#!/usr/bin/env bash
# Installs the Debian packages the build, the tests and the reference scripts need.
# Runs apt-get only for what is missing, and only as root; otherwise it says what to install.
set -euo pipefail

packages=(
  python3-onnx python3-numpy python3-pil   # synthetic models and the Pillow reference
  redis-server postgresql                  # cache and usage-record tests
  wrk curl                                 # load test of the server
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "prerequisites: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "prerequisites: missing Debian packages: ${missing[*]}" >&2
    echo "install them with: sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
fi

for tool in dotnet node npm; do
  command -v "$tool" >/dev/null || { echo "prerequisites: '$tool' is not on PATH" >&2; exit 1; }
done
