#!/usr/bin/env bash
# Conformance harness entry point (npm run conformance = npm run build && run.sh --compare):
#   conformance/run.sh [--only REGEX] [--jobs N] [--out DIR] [--strict]
#                      [--compare | --compare-only] [--cli PATH] [--repeat N]
# 1. setup.sh (idempotent; installs/downloads into the cache dir), 2. compile the TypeScript
# runner with the repo's tsc into a temp dir, 3. run it from the repo root (real QEMU),
# 4. with --compare: check every case with the built planner CLI (dist/, `npm run build` first)
#    and compare it with what really happened (compare.ts); --compare-only skips 1 and 3 and
#    compares the results already in the output directory.
# Exit: the runner's code (1 timeout/unclassified, 3 crash), else the comparison's (1 a case failed).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
COMPARE=0
RUN=1
OUTDIR=conformance-results
ARGS=()
CMP_ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --compare) COMPARE=1 ;;
    --compare-only) COMPARE=1; RUN=0 ;;
    --cli|--repeat) CMP_ARGS+=("$1" "$2"); shift ;;
    --out) OUTDIR="$2"; ARGS+=("$1" "$2"); shift ;;
    *) ARGS+=("$1") ;;
  esac
  shift
done
OUT="$(mktemp -d /tmp/spapr-conformance-build.XXXXXX)"
trap 'rm -rf "$OUT"' EXIT
# the versions and image paths this setup wrote (another clone's setup may rewrite the shared versions.env)
if [ "$RUN" = 1 ]; then CONFORMANCE_VERSIONS_OUT="$OUT/versions.env" "$HERE/setup.sh"; export SPAPR_CONFORMANCE_VERSIONS="$OUT/versions.env"; fi
(cd "$ROOT" && npx --no-install tsc -p conformance/tsconfig.json --outDir "$OUT")
cd "$ROOT"
rc=0
if [ "$RUN" = 1 ]; then node "$OUT/run.js" ${ARGS[@]+"${ARGS[@]}"} || rc=$?; fi
if [ "$COMPARE" = 1 ] && [ "$rc" != 3 ]; then
  crc=0
  node "$OUT/compare.js" ${ARGS[@]+"${ARGS[@]}"} ${CMP_ARGS[@]+"${CMP_ARGS[@]}"} || crc=$?
  if [ "$rc" = 0 ]; then rc=$crc; fi
else
  echo "results and raw logs (CI artifacts): $(cd "$ROOT" && realpath -m "$OUTDIR")"
fi
exit "$rc"
