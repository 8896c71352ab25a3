#!/usr/bin/env bash
# Runs a command with DISPLAY set to a fresh Xvfb screen (a free display number, chosen by Xvfb itself), then
# stops the screen. Usage: installer/with-xvfb.sh [-s WIDTHxHEIGHT] COMMAND ARGS...
set -euo pipefail
size=1280x800
if [ "${1:-}" = -s ]; then size="$2"; shift 2; fi
fd_file="$(mktemp)"
Xvfb -displayfd 3 -screen 0 "${size}x24" -nolisten tcp 3>"$fd_file" >/dev/null 2>&1 &
xvfb=$!
trap 'kill "$xvfb" 2>/dev/null || true; rm -f "$fd_file"' EXIT
for _ in $(seq 100); do [ -s "$fd_file" ] && break; sleep 0.05; done
[ -s "$fd_file" ] || { echo "Xvfb did not start" >&2; exit 1; }
DISPLAY=":$(head -n1 "$fd_file")" "$@"
