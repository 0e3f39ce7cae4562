#!/usr/bin/env bash
# Debian's Chromium for Playwright (never a downloaded browser build).
. "$(dirname "$0")/common.sh"
need_pkgs chromium
log "$(/usr/bin/chromium --version 2>/dev/null)"
