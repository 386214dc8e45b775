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
# Safe Rust needs no AddressSanitizer to show a panic, an overflow (debug assertions are on) or
# a hang, and without it the build is twice as fast and each execution too. FUZZ_SANITIZER=address
# brings it back for the unsafe code underneath.
# The whole server is built instrumented: optimised lightly, in 16 units, without LTO, the build
# takes minutes instead of most of an hour, for somewhat fewer executions per second.
export CARGO_PROFILE_RELEASE_LTO=off CARGO_PROFILE_RELEASE_OPT_LEVEL=${FUZZ_OPT_LEVEL:-1}
FLAGS=(--fuzz-dir fuzz -O -a -s "${FUZZ_SANITIZER:-none}" --codegen-units 16)
cargo fuzz build "${FLAGS[@]}"
printf '%-14s %12s %8s %s\n' target executions crashes seconds
status=0
for t in "${TARGETS[@]}"; do
  mkdir -p "fuzz/corpus/$t" "fuzz/artifacts/$t"
  log=$(mktemp)
  set +e
  cargo fuzz run "${FLAGS[@]}" "$t" "fuzz/corpus/$t" -- -max_total_time="$SECONDS_EACH" \
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
