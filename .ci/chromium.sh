#!/usr/bin/env bash
# Installs headless Chromium and its WebDriver for the examples' browser test (Debian packages
# chromium and chromium-driver). Idempotent: does nothing when both are already there.
set -euo pipefail

if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium chromium-driver
chromium --version
chromedriver --version
