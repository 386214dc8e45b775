#!/usr/bin/env bash
# Installs what building GoSync needs and is missing: the wasm32 target, wasm-bindgen-cli at
# the exact version of the wasm-bindgen crate, and wasm-opt from npm (Debian's corrupts WASM).
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_BINDGEN_VERSION=0.2.129

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  echo "==> adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  echo "==> installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 2 minutes, once)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --locked
fi

if [ ! -x tools/node_modules/.bin/wasm-opt ] || [ ! -f tools/node_modules/tus-js-client/dist/tus.min.js ]; then
  echo "==> installing wasm-opt (npm binaryen) and tus-js-client"
  (cd tools && npm ci --no-audit --no-fund)
fi
