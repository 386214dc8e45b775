#!/usr/bin/env bash
# Builds the browser side into target/site: the hydration WASM and its JS glue under pkg/,
# the stylesheet as pkg/gosync.css, and public/ copied as is.
set -euo pipefail
cd "$(dirname "$0")/.."

TARGET_DIR="${CARGO_TARGET_DIR:-target}"
SITE=target/site
NAME=gosync

echo "==> building the WASM front end"
cargo build -p frontend --lib --target wasm32-unknown-unknown --profile wasm-release
mkdir -p "$SITE/pkg"
wasm-bindgen --target web --no-typescript --out-dir "$SITE/pkg" --out-name "$NAME" \
  "$TARGET_DIR/wasm32-unknown-unknown/wasm-release/frontend.wasm"
tools/node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-mutable-globals \
  -o "$SITE/pkg/${NAME}_bg.wasm" "$SITE/pkg/${NAME}_bg.wasm"
cat style/main.css style/drive.css style/viewer.css style/admin.css style/search.css style/settings.css > "$SITE/pkg/$NAME.css"
cp -r public/. "$SITE/"
# The reference tus client, which the drive's uploads run on (see public/uploads.js).
cp tools/node_modules/tus-js-client/dist/tus.min.js "$SITE/tus.min.js"
echo "==> site ready in $SITE ($(du -h "$SITE/pkg/${NAME}_bg.wasm" | cut -f1) of WASM)"
