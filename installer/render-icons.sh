#!/usr/bin/env bash
# Renders the application icon to PNGs: icons/dbrescue-small.svg for 16-32 px (fewer, bolder shapes
# that stay readable), icons/dbrescue.svg for 48-512 px. Needs rsvg-convert (Debian: librsvg2-bin).
# Usage: installer/render-icons.sh OUT_DIR   -> OUT_DIR/SIZExSIZE/io.dbrescue.DbRescue.png
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:?usage: render-icons.sh OUT_DIR}"
command -v rsvg-convert >/dev/null || { echo "rsvg-convert not found: apt-get install librsvg2-bin" >&2; exit 1; }
for size in 16 24 32 48 64 128 256 512; do
    svg="$here/icons/dbrescue.svg"
    [ "$size" -le 32 ] && svg="$here/icons/dbrescue-small.svg"
    mkdir -p "$out/${size}x${size}"
    rsvg-convert -w "$size" -h "$size" "$svg" -o "$out/${size}x${size}/io.dbrescue.DbRescue.png"
done
