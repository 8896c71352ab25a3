#!/usr/bin/env bash
# Regenerates the user guide's pictures of every step (docs/images/*-1100x750.png and *-800x600.png) from the real
# window under Xvfb, with the real engine on docs/sample-backup: every finding is chosen on Target (a form per
# server), then the SQLite file alone is restored into /tmp/dbrescue-guide/restored; then Settings and History.
# Needs: xvfb, xdotool, libgtk-3-0, imagemagick; run from the project root after `mvn -B -q -DskipTests package`.
# OUT=DIR writes the pictures elsewhere. Look at every picture before committing it.
set -euo pipefail
cd "$(dirname "$0")/../.."
scratch=/tmp/dbrescue-guide
for size in 1100x750 800x600; do
    rm -rf "$scratch"
    mkdir -p "$scratch"
    installer/with-xvfb.sh -s "$size" java -Djavafx.cachedir="$scratch/fx" \
        -cp target/test-classes:target/dbrescue.jar 'io.dbrescue.gui.StepScreens$Launch' \
        docs/sample-backup "${OUT:-docs/images}" "${size%x*}" "${size#*x}" "$scratch/restored" "$scratch/state"
done
rm -rf "$scratch"
