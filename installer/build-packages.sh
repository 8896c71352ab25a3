#!/usr/bin/env bash
# Builds the installable dbrescue from target/dbrescue.jar (the Maven profile -Pinstaller runs this
# after the shaded jar): target/jpackage/dbrescue/ (app image) and target/jpackage/dbrescue_VERSION_amd64.deb
# Needs JDK 17's jlink/jpackage, rsvg-convert, zip, dpkg-deb, fakeroot; Xvfb and xdotool to record the classes
# the window loads (for the class-data-sharing archive postinst makes; without them only the command line's).
# Usage: installer/build-packages.sh VERSION      (VERSION like 0.1.0; "-SNAPSHOT" is dropped)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
version="${1:?usage: build-packages.sh VERSION}"
version="${version%-SNAPSHOT}"
jdk="${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}"
[ -x "$jdk/bin/jpackage" ] || jdk=/usr/lib/jvm/java-17-openjdk-amd64
target="$root/target"
work="$target/jpackage"
app_id=io.dbrescue.DbRescue

# Modules from `jdeps --ignore-missing-deps --print-module-deps --multi-release 17 target/dbrescue.jar`,
# plus jdk.crypto.ec (TLS to database servers) and jdk.charsets (dumps in legacy encodings).
modules=java.base,java.desktop,java.management,java.naming,java.prefs,java.scripting,java.security.jgss,java.sql,jdk.httpserver,jdk.jfr,jdk.unsupported,jdk.crypto.ec,jdk.charsets
# JavaFX goes into the runtime as named modules (Maven copied its Linux jars to target/javafx-modules): on the
# class path it warns "Unsupported JavaFX configuration" and unpacks its native libraries into ~/.openjfx/cache
# on every new account. The application's own classes stay on the class path.
fx_modules="$target/javafx-modules"
ls "$fx_modules"/javafx-graphics-*-linux.jar >/dev/null
# What JavaFX's native libraries load (readelf -d on libglass*.so, libprism*.so, libjavafx_font*.so);
# jpackage adds what the Java runtime itself links against.
deps="libgtk-3-0, libxtst6, libgl1, libxxf86vm1, libx11-6, libfreetype6, libfontconfig1, libpangoft2-1.0-0"

rm -rf "$work"
mkdir -p "$work/input" "$work/resources"

"$root/installer/render-icons.sh" "$target/icons"

# The shaded jar carries SQLite and zstd natives for ~30 platforms; the package is for Linux x86-64 only.
cp "$target/dbrescue.jar" "$work/input/dbrescue.jar"
unzip -Z1 "$work/input/dbrescue.jar" \
    | grep -E '^(aix|darwin|freebsd|win|linux)/.+\.(so|dll|dylib)$|^org/sqlite/native/.+' \
    | grep -v -E '^linux/amd64/|^org/sqlite/native/Linux/x86_64/' \
    | zip -q -d "$work/input/dbrescue.jar" -@
# Stored, not deflated: the .deb's xz compresses the classes far better across files (smaller package)
# and the JVM reads them without inflating.
mkdir "$work/jar"
(cd "$work/jar" && unzip -q ../input/dbrescue.jar && rm ../input/dbrescue.jar \
    && zip -q -0 -X ../input/dbrescue.jar META-INF/MANIFEST.MF && zip -q -0 -X -r ../input/dbrescue.jar .)
rm -rf "$work/jar"
# JavaFX's classes and libraries come from the runtime's modules: not a second copy in the jar
for jar in "$fx_modules"/javafx-*-linux.jar; do unzip -Z1 "$jar"; done \
    | grep -v -E '/$|^META-INF/|^module-info\.class$' | sort -u | zip -q -d "$work/input/dbrescue.jar" -@

"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
    --strip-native-debug-symbols objcopy=/usr/bin/objcopy --compress=0 --generate-cds-archive \
    --module-path "$fx_modules" --add-modules javafx.controls --output "$work/runtime"
# JavaFX loads its native libraries from the runtime's lib/ first (nothing unpacked into ~/.openjfx)
unzip -q -o -j "$fx_modules"/javafx-graphics-*-linux.jar '*.so' -d "$work/runtime/lib"
# The JDK's class-data-sharing archive (startup); the no-compressed-oops one is only for heaps over 32 GB.
rm -f "$work/runtime/lib/server/classes_nocoops.jsa"

java_opts=()
while IFS= read -r line; do
    line="${line%%#*}"; line="$(echo "$line" | xargs)"
    [ -n "$line" ] && java_opts+=(--java-options "$line")
done < "$root/installer/jvm-options"
# AppCDS: postinst dumps the classes a start loads (lib/app/dbrescue.classlist, recorded below) into
# lib/app/dbrescue.jsa; it must be made where the jar is installed (JDK 17 checks the class path). Without the
# file the JVM just starts without it.
java_opts+=(--java-options '-XX:SharedArchiveFile=$APPDIR/dbrescue.jsa')

"$jdk/bin/jpackage" --type app-image --dest "$work" --name dbrescue --app-version "$version" \
    --vendor dbrescue --description "Finds the databases in a backup and brings them back" \
    --input "$work/input" --main-jar dbrescue.jar --main-class io.dbrescue.cli.Main \
    --runtime-image "$work/runtime" "${java_opts[@]}" \
    --icon "$target/icons/256x256/$app_id.png"

# Desktop entry, AppStream metadata, the polkit policy and icons inside the app image (under lib/: a .deb made from an app
# image carries only bin/ and lib/); postinst links them into /usr/share.
img="$work/dbrescue"
install -D -m 644 "$root/installer/$app_id.desktop" "$img/lib/share/applications/$app_id.desktop"
install -D -m 644 "$root/installer/$app_id.metainfo.xml" "$img/lib/share/metainfo/$app_id.metainfo.xml"
# the polkit action for `pkexec /opt/dbrescue/bin/dbrescue privileged-run` (root steps of a confirmed plan)
install -D -m 644 "$root/installer/$app_id.policy" "$img/lib/share/polkit-1/actions/$app_id.policy"
for dir in "$target/icons"/*x*; do
    install -D -m 644 "$dir/$app_id.png" "$img/lib/share/icons/hicolor/$(basename "$dir")/apps/$app_id.png"
done

# The classes a start loads, for the class-data-sharing archive postinst makes (make-cds-archive)
"$root/installer/record-classlist.sh" "$img" "$img/lib/app/dbrescue.classlist"
install -D -m 755 "$root/installer/make-cds-archive.sh" "$img/lib/share/dbrescue/make-cds-archive"

cp "$root/installer/postinst" "$root/installer/prerm" "$work/resources/"
# the .rpm runs the same scripts from inside the installed image
install -D -m 755 "$root/installer/postinst" "$img/lib/share/dbrescue/postinst"
install -D -m 755 "$root/installer/prerm" "$img/lib/share/dbrescue/prerm"
"$jdk/bin/jpackage" --type deb --app-image "$img" --dest "$work" --name dbrescue --app-version "$version" \
    --vendor dbrescue --description "Finds the databases in a backup and brings them back" \
    --resource-dir "$work/resources" --linux-package-name dbrescue --linux-package-deps "$deps" \
    --linux-deb-maintainer "dbrescue <dbrescue@localhost>" --linux-app-category utils
ls "$work"/dbrescue_*.deb >/dev/null

# .rpm (when rpmbuild is there: Debian's "rpm" package): the same image, Fedora's package names
if command -v rpmbuild >/dev/null 2>&1; then
    mkdir -p "$work/rpm-resources"
    cp "$root/installer/dbrescue.spec" "$work/rpm-resources/dbrescue.spec"
    "$jdk/bin/jpackage" --type rpm --app-image "$img" --dest "$work" --name dbrescue --app-version "$version" \
        --vendor dbrescue --description "Finds the databases in a backup and brings them back" \
        --resource-dir "$work/rpm-resources" --linux-package-name dbrescue \
        --linux-package-deps "gtk3, libXtst, mesa-libGL, libXxf86vm, libX11, freetype, fontconfig, pango" \
        --linux-app-category Utility --linux-rpm-license-type "see the project"
    ls "$work"/dbrescue-*.rpm >/dev/null
else
    echo "rpmbuild not found (apt-get install rpm): no .rpm built" >&2
fi

ls -l "$work"/*.deb "$work"/*.rpm 2>/dev/null || true
