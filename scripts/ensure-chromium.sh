#!/usr/bin/env bash
# The browser tests drive Debian's Chromium. Install it if absent; never download a browser build.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Browser tests need Debian's chromium package: sudo apt-get install -y chromium" >&2
  exit 1
fi
echo "Installing Debian's chromium package for the browser tests..."
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
