#!/usr/bin/env bash
# Records the classes dbrescue loads up to its first page (the window on its own Xvfb screen, with a fresh
# HOME): the list make-cds-archive turns into the class-data-sharing archive when the package is installed.
# Without Xvfb and xdotool it records a command-line scan instead, and says so.
# Usage: installer/record-classlist.sh APP_IMAGE OUT      (APP_IMAGE: target/jpackage/dbrescue)
set -euo pipefail
img="$(cd "${1:?usage: record-classlist.sh APP_IMAGE OUT}" && pwd)"
out="$(realpath -m "${2:?usage: record-classlist.sh APP_IMAGE OUT}")"
have_x=1
command -v Xvfb >/dev/null && command -v xdotool >/dev/null || have_x=
if [ -n "$have_x" ] && [ -z "${RECORD_ON_XVFB:-}" ]; then
    RECORD_ON_XVFB=1 exec "$(dirname "$0")/with-xvfb.sh" "$0" "$img" "$out"
fi
cfg="$img/lib/app/dbrescue.cfg"
main="$(sed -n 's/^app.mainclass=//p' "$cfg")"
# the launcher's own JVM options (its archive left out: that is what is being made)
mapfile -t opts < <(sed -n 's/^java-options=//p' "$cfg" | grep -v SharedArchiveFile | sed "s|\$APPDIR|$img/lib/app|g")
home="$(mktemp -d)"
app=
trap '[ -n "$app" ] && kill "$app" 2>/dev/null; rm -rf "$home"' EXIT
run() {
    HOME="$home" XDG_CONFIG_HOME="$home/.config" XDG_STATE_HOME="$home/.local/state" XDG_CACHE_HOME="$home/.cache" \
        "$img/lib/runtime/bin/java" "${opts[@]}" -XX:DumpLoadedClassList="$out" -cp "$img/lib/app/dbrescue.jar" \
        "$main" "$@"
}
rm -f "$out"
if [ -z "$have_x" ]; then
    echo "record-classlist: no Xvfb/xdotool (apt-get install xvfb xdotool): recording a command-line scan only;" \
        "the window will start slower" >&2
    run scan "$home" >/dev/null
    exit 0
fi
run >"$home/out.txt" 2>&1 &
app=$!
until xdotool search --onlyvisible --name dbrescue >/dev/null 2>&1; do
    kill -0 "$app" 2>/dev/null || { echo "record-classlist: the window did not open:" >&2; cat "$home/out.txt" >&2; exit 1; }
    sleep 0.05
done
sleep 3 # the first page drawn and settled: what every start loads
kill "$app"
wait "$app" || true
app=
[ -s "$out" ]
echo "record-classlist: $(wc -l <"$out") classes loaded by the first page, in $out"
