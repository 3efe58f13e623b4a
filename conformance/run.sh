#!/usr/bin/env bash
# Conformance harness entry point (npm run conformance):
#   conformance/run.sh [--only REGEX] [--jobs N] [--out DIR] [--strict]
# 1. setup.sh (idempotent; installs/downloads into the cache dir), 2. compile the TypeScript
# runner with the repo's tsc into a temp dir, 3. run it from the repo root.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
"$HERE/setup.sh"
OUT="$(mktemp -d /tmp/spapr-conformance-build.XXXXXX)"
trap 'rm -rf "$OUT"' EXIT
(cd "$ROOT" && npx --no-install tsc -p conformance/tsconfig.json --outDir "$OUT")
cd "$ROOT"
node "$OUT/run.js" "$@"
