#!/bin/sh
# Makes the class-data-sharing archive of an installed dbrescue (lib/app/dbrescue.jsa, which the launcher names
# with -XX:SharedArchiveFile) from the class list recorded at package time: the JDK's, JavaFX's and dbrescue's
# classes of a start, parsed and verified once here instead of on every start. Made where the jar is
# installed because JDK 17 ties the archive to the class path. Nothing is run but `java -Xshare:dump`; if it
# fails the launcher still works, only slower.
# Usage: make-cds-archive APP_DIR      (the installed image, e.g. /opt/dbrescue)
app="${1:?usage: make-cds-archive APP_DIR}"
rm -f "$app/lib/app/dbrescue.jsa"
[ -f "$app/lib/app/dbrescue.classlist" ] || exit 0
"$app/lib/runtime/bin/java" -Xshare:dump -XX:SharedClassListFile="$app/lib/app/dbrescue.classlist" \
    -XX:SharedArchiveFile="$app/lib/app/dbrescue.jsa" -cp "$app/lib/app/dbrescue.jar" >/dev/null 2>&1 \
    || rm -f "$app/lib/app/dbrescue.jsa"
[ -f "$app/lib/app/dbrescue.jsa" ] && chmod 644 "$app/lib/app/dbrescue.jsa"
exit 0
