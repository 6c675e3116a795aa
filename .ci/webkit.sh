#!/usr/bin/env bash
# Installs WebKitGTK (Safari's engine) for the examples' browser tests: Debian's webkit2gtk-driver
# (WebKitWebDriver, with MiniBrowser from libwebkit2gtk-4.1-0) and xvfb (MiniBrowser needs a display; the tests run
# the driver under xvfb-run). Idempotent: does nothing when they are already there.
set -euo pipefail

if command -v WebKitWebDriver >/dev/null 2>&1 && command -v xvfb-run >/dev/null 2>&1 \
    && [ -x /usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser ]; then
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends webkit2gtk-driver libwebkit2gtk-4.1-0 xvfb xauth
dpkg-query -W webkit2gtk-driver
