#!/usr/bin/env bash
# Installs what the tests need and is missing: Chromium and its driver (Debian), and the npm
# test packages (playwright-core, which drives the system Chromium, no browser download; and
# tus-js-client, the reference tus client; axe-core, the accessibility checker), and the real
# WebDAV clients the tests drive (litmus, rclone; Debian), and tools/venv with the Python
# packages that make the previews' test documents (python-docx, openpyxl, python-pptx, odfpy,
# Pillow).
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

if ! tools/venv/bin/python -c 'import docx, openpyxl, pptx, odf, PIL' 2>/dev/null; then
  echo "==> making tools/venv for the preview fixtures"
  python3 -m venv tools/venv
  tools/venv/bin/pip install --quiet --disable-pip-version-check \
    python-docx==1.1.2 openpyxl==3.1.5 python-pptx==1.0.2 odfpy==1.4.1 Pillow==11.0.0
fi
