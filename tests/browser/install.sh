#!/usr/bin/env bash
# What the browser tests (tests/browser/) need beyond `pip install -e '.[test]'`, on a new machine or in CI:
#   - Debian's Chromium (the apt package `chromium`, at /usr/bin/chromium): Playwright drives it, and
#     never downloads a browser of its own (`playwright install` is not used);
#   - axe-core, pinned in tests/browser/package.json and package-lock.json, from the npm registry.
# CI runs this before the tests (`bash tests/browser/install.sh` in .ci/run): with CI set, the browser
# tests fail rather than skip when either is missing.
set -euo pipefail
cd "$(dirname "$0")/../.."

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive

need=()
command -v chromium >/dev/null || need+=(chromium)
command -v npm >/dev/null || need+=(nodejs npm)
if [ "${#need[@]}" -gt 0 ]; then
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

npm ci --prefix tests/browser --no-audit --no-fund
chromium --version 2>/dev/null
