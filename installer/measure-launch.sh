#!/usr/bin/env bash
# Measures the installed launcher, median of N runs each:
#   - `dbrescue --version` (the command line's start),
#   - `dbrescue` to its window being visible under Xvfb (polls `xdotool search --onlyvisible --name dbrescue`:
#     mapped on the screen, what a person sees),
#   - the resident memory (VmRSS) of that process on the first page, 2 s after the window showed.
# Every run starts with the same fresh HOME (settings, logs, recent folders, JavaFX's cache), so the first run
# pays what a new user's first start pays and the others what every later start pays; all runs are printed.
# Needs xvfb and xdotool (apt-get install -y xvfb xdotool).
# Usage: installer/measure-launch.sh [LAUNCHER] [N]     e.g. target/jpackage/dbrescue/bin/dbrescue 5
set -euo pipefail
launcher="${1:-dbrescue}"
n="${2:-5}"
settle=2
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
now() { date +%s.%N; }

home="$(mktemp -d)"
display=":$((90 + RANDOM % 400))"
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
app=
cleanup() {
    [ -n "$app" ] && kill "$app" 2>/dev/null || true
    kill "$xvfb" 2>/dev/null || true
    rm -rf "$home"
}
trap cleanup EXIT
sleep 1
export HOME="$home" XDG_CONFIG_HOME="$home/.config" XDG_STATE_HOME="$home/.local/state" XDG_CACHE_HOME="$home/.cache"

versions=()
for _ in $(seq "$n"); do
    t0=$(now); "$launcher" --version >/dev/null; t1=$(now)
    versions+=("$(echo "$t1 - $t0" | bc)")
done

shown=()
rss=()
for i in $(seq "$n"); do
    t0=$(now)
    DISPLAY=$display "$launcher" >"$home/out-$i.txt" 2>&1 &
    app=$!
    until DISPLAY=$display xdotool search --onlyvisible --name dbrescue >/dev/null 2>&1; do
        kill -0 "$app" 2>/dev/null || { echo "the launcher exited before its window showed:" >&2; cat "$home/out-$i.txt" >&2; exit 1; }
        sleep 0.02
    done
    t1=$(now)
    shown+=("$(echo "$t1 - $t0" | bc)")
    sleep "$settle"
    # the jpackage launcher runs the JVM in its own process: $app is the JVM
    rss+=("$(awk '/^VmRSS:/ {printf "%.0f", $2 / 1024}' "/proc/$app/status")")
    kill "$app"; wait "$app" 2>/dev/null || true
    app=
    if grep -q -i "warn\|exception" "$home/out-$i.txt"; then
        echo "run $i printed:" >&2; cat "$home/out-$i.txt" >&2
    fi
done

printf 'launcher: %s (%d runs each)\n' "$launcher" "$n"
printf 'dbrescue --version:       median %.2f s   (runs: %s)\n' "$(printf '%s\n' "${versions[@]}" | median)" "${versions[*]}"
printf 'window visible (Xvfb):    median %.2f s   (runs: %s)\n' "$(printf '%s\n' "${shown[@]}" | median)" "${shown[*]}"
printf 'RSS on the first page:    median %d MB    (runs: %s MB)\n' "$(printf '%s\n' "${rss[@]}" | median)" "${rss[*]}"
