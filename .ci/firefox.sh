#!/usr/bin/env bash
# Installs headless Firefox ESR for the examples' browser tests (Debian package firefox-esr; driven over
# WebDriver BiDi by the tests themselves, so no geckodriver). Idempotent: does nothing when it is already there.
set -euo pipefail

if command -v firefox-esr >/dev/null 2>&1; then
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends firefox-esr
firefox-esr --version
