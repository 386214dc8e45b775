#!/usr/bin/env bash
# Builds the site and the server side by side (the site's last steps run on one core, which
# leaves the other to the server), with the server in PROFILE: `release` (make build, tuned
# for speed) or `quick` (make run, about half the build time). The binary ends up in
# target/PROFILE/gosync, also when the build cache lives outside the clone.
set -euo pipefail
cd "$(dirname "$0")/.."
PROFILE=${1:-release}
TARGET_DIR="${CARGO_TARGET_DIR:-target}"

scripts/build-site.sh &
site=$!
if ! cargo build -p server --profile "$PROFILE"; then
  kill "$site" 2>/dev/null || true
  exit 1
fi
wait "$site"
if [ "$(realpath -m "$TARGET_DIR")" != "$(realpath -m target)" ]; then
  mkdir -p "target/$PROFILE"
  cp "$TARGET_DIR/$PROFILE/gosync" "target/$PROFILE/gosync"
fi
echo "==> built target/$PROFILE/gosync"
