#!/usr/bin/env bash
# Installs what the tests need and is missing: Chromium and its driver (Debian), and the npm
# test packages (playwright-core, which drives the system Chromium, no browser download; and
# tus-js-client, the reference tus client; axe-core, the accessibility checker), and the real
# WebDAV clients the tests drive (litmus, rclone; Debian).
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  echo "==> installing Chromium from Debian"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver \
    || { as_root apt-get update -q && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver; }
fi

if ! command -v litmus >/dev/null || ! command -v rclone >/dev/null; then
  echo "==> installing litmus and rclone from Debian"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q litmus rclone \
    || { as_root apt-get update -q && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q litmus rclone; }
fi

if [ ! -d end2end/node_modules/playwright-core ] || [ ! -d end2end/node_modules/tus-js-client ] \
   || [ ! -d end2end/node_modules/axe-core ]; then
  echo "==> installing the browser test packages"
  (cd end2end && npm ci --no-audit --no-fund)
fi
