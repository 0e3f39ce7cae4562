#!/usr/bin/env bash
# Reference tools the console benchmarks compare Hangar with: Debian's websockify (the
# usual one-hop VNC websocket proxy) and socat (a plain TCP relay written in C).
. "$(dirname "$0")/common.sh"
need_pkgs websockify socat
