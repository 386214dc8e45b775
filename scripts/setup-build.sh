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

# libpdfium for PDF previews: the pinned PyPI wheel of pypdfium2 carries it (TOOLCHAIN.md).
PDFIUM_SHA256=c76dc0f7839644bfa7c3e3107a6068df714e339c861bb7d4519907b821d427f9
if [ "$(sha256sum tools/pdfium/libpdfium.so 2>/dev/null | cut -d' ' -f1)" != "$PDFIUM_SHA256" ]; then
  echo "==> fetching libpdfium (pypdfium2 5.15.2 wheel, once)"
  tmp="$(mktemp -d)"
  echo "pypdfium2==5.15.2 --hash=sha256:dc31aea5b0fb9fefc9b537a65f4113980b2c40798445736a7e6565bc85161e37" > "$tmp/req.txt"
  python3 -m pip download --quiet --no-deps --only-binary=:all: --platform manylinux_2_17_x86_64 \
    --require-hashes -r "$tmp/req.txt" -d "$tmp"
  python3 -m zipfile -e "$tmp"/pypdfium2-5.15.2-*.whl "$tmp/x"
  mkdir -p tools/pdfium
  cp "$tmp/x/pypdfium2_raw/libpdfium.so" tools/pdfium/libpdfium.so
  rm -rf "$tmp"
  echo "$PDFIUM_SHA256  tools/pdfium/libpdfium.so" | sha256sum --check --quiet
fi

# The previews' converters (Debian): LibreOffice for office documents, ffmpeg for video,
# tesseract for OCR, heif-convert for HEIC photos. GoSync runs without them (the admin's
# health card says what is missing); installed here so that `make run` previews everything.
CONVERTERS="libreoffice-writer-nogui libreoffice-calc-nogui libreoffice-impress-nogui ffmpeg tesseract-ocr tesseract-ocr-eng libheif-examples fonts-dejavu-core"
if ! command -v soffice >/dev/null || ! command -v ffmpeg >/dev/null \
   || ! command -v tesseract >/dev/null || ! command -v heif-convert >/dev/null; then
  if [ "$(id -u)" = 0 ] || sudo -n true 2>/dev/null; then
    echo "==> installing the previews' converters from Debian (LibreOffice, ffmpeg, tesseract, libheif)"
    as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
    # shellcheck disable=SC2086
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $CONVERTERS \
      || { as_root apt-get update -q && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $CONVERTERS; }
  else
    echo "==> note: without root, the previews' converters were not installed ($CONVERTERS)"
  fi
fi
