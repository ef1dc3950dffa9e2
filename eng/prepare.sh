#!/usr/bin/env bash
# Makes everything the tests need that is not committed: native runtimes and reference packages
# (restore-assets.sh), the tiny synthetic models (models/generate.py) and the reference outputs of the
# independent implementations (references/*/generate.sh). Safe to run concurrently and repeatedly: it does
# nothing when eng/ and testdata/ have not changed since the last successful run.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$root/artifacts"
exec 9>"$root/artifacts/.prepare.lock"
flock 9

stamp="$root/artifacts/prepared.stamp"
state=$(cd "$root" && find eng testdata -type f -not -path '*/node_modules/*' -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" = "$state" ]; then
  exit 0
fi

bash "$root/eng/restore-assets.sh"
/usr/bin/python3 "$root/eng/models/generate.py" tiny --out "$root/artifacts/models/tiny"
bash "$root/eng/references/generate.sh"

echo "$state" > "$stamp"
