#!/usr/bin/env bash
# Debian's Chromium for Playwright (never a downloaded browser build), and a font that
# covers Chinese, Japanese and Korean: without one, CJK names in the UI render as boxes
# (Debian's Chromium brings only DejaVu, which has no CJK glyphs).
. "$(dirname "$0")/common.sh"
need_pkgs chromium fonts-noto-cjk
log "$(/usr/bin/chromium --version 2>/dev/null)"
fc-list :lang=zh family | grep -q "Noto Sans CJK" || die "fonts-noto-cjk is installed but fontconfig lists no Noto Sans CJK font"
