#!/usr/bin/env bash
# Install Debian's Chromium when /usr/bin/chromium is missing (for the browser tests).
# Idempotent and quiet when it is already there. Never downloads a browser from anywhere else.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO="sudo"
    else
        echo "ensure_chromium: /usr/bin/chromium is missing and we are not root (no sudo)." >&2
        exit 1
    fi
fi

echo "ensure_chromium: installing Debian chromium ..." >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null

if [ ! -x /usr/bin/chromium ]; then
    echo "ensure_chromium: chromium installed but /usr/bin/chromium is missing" >&2
    exit 1
fi
echo "ensure_chromium: $(/usr/bin/chromium --version 2>/dev/null || echo chromium installed)" >&2
