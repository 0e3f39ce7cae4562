#!/usr/bin/env bash
# Reference tools the benchmarks compare Hangar with: Debian's websockify (the usual
# one-hop VNC websocket proxy), socat (a plain TCP relay written in C) and virt-install
# (virtinst: the reference for creating a VM, bench/vm-create.ts).
. "$(dirname "$0")/common.sh"
need_pkgs websockify socat virtinst
