#!/usr/bin/env bash
# Fuzzes what strangers' bytes reach first (fuzz/fuzz_targets: names, ranges, tus_headers,
# search_query, zip_names, extractors) with cargo-fuzz (libFuzzer), each for SECONDS (default
# 600), and prints executions and crashes per target. Not part of `make test`; crashes are kept
# under fuzz/artifacts/<target>/ to turn into regression tests.
#   scripts/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-600}; shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(names ranges tus_headers search_query zip_names extractors)
command -v cargo-fuzz >/dev/null || cargo install --locked cargo-fuzz
# cargo-fuzz needs the nightly-only sanitizer flags; the stable toolchain allows them so.
export RUSTC_BOOTSTRAP=1
cargo fuzz build --fuzz-dir fuzz -O
printf '%-14s %12s %8s %s\n' target executions crashes seconds
status=0
for t in "${TARGETS[@]}"; do
  mkdir -p "fuzz/corpus/$t" "fuzz/artifacts/$t"
  log=$(mktemp)
  set +e
  cargo fuzz run --fuzz-dir fuzz -O "$t" "fuzz/corpus/$t" -- -max_total_time="$SECONDS_EACH" \
    -artifact_prefix="fuzz/artifacts/$t/" -print_final_stats=1 >"$log" 2>&1
  rc=$?
  set -e
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  crashes=$(find "fuzz/artifacts/$t" -type f | wc -l)
  printf '%-14s %12s %8s %s\n' "$t" "${runs:-?}" "$crashes" "$SECONDS_EACH"
  if [ "$rc" != 0 ] || [ "$crashes" != 0 ]; then status=1; tail -30 "$log"; fi
  rm -f "$log"
done
exit $status
