#!/usr/bin/env bash
# Measures the installed launcher (median of N runs): `dbrescue --version`, and `dbrescue` to its first
# window under Xvfb (polls `xdotool search --name dbrescue`). Needs xvfb and xdotool.
# Usage: installer/measure-launch.sh [LAUNCHER] [N]
set -euo pipefail
launcher="${1:-dbrescue}"
n="${2:-5}"
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
now() { date +%s.%N; }

for _ in $(seq "$n"); do
    t0=$(now); "$launcher" --version >/dev/null; t1=$(now)
    echo "$t1 - $t0" | bc
done | median | xargs printf 'dbrescue --version: median %s s\n'

display=:99
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill "$xvfb" 2>/dev/null || true' EXIT
sleep 1
for _ in $(seq "$n"); do
    t0=$(now)
    DISPLAY=$display "$launcher" >/dev/null 2>&1 &
    app=$!
    until DISPLAY=$display xdotool search --name dbrescue >/dev/null 2>&1; do
        kill -0 "$app" 2>/dev/null || { echo "launcher exited before a window appeared" >&2; exit 1; }
        sleep 0.02
    done
    t1=$(now)
    kill "$app"; wait "$app" 2>/dev/null || true
    echo "$t1 - $t0" | bc
done | median | xargs printf 'launcher to first window (Xvfb): median %s s\n'
