#!/usr/bin/env bash
# Builds the container images the tests use, locally (no image registry is reachable), into Podman's
# storage. Idempotent: an image that `podman image exists` is skipped. Run as root.
#
#   src/test/containers/build-images.sh [NAME...]     (default: all)
#
# NAME is a full name (localhost/dbrescue-test/postgres:16) or the part after the prefix (postgres:16).
#
#   postgres:15, :16        OLD servers: the zonky binaries (target/fixture-binaries/postgres-N.jar, copied
#                           by `mvn generate-test-resources`) under /usr/lib/postgresql/N, the host's glibc
#                           libraries they need and the host's /bin/sh (initdb and pg_ctl start postgres
#                           through it); no debootstrap. 15 also gets Debian 15's pg_controldata and
#                           pg_resetwal (from the host's postgresql-15 package).
#   postgres:17, :18        NEWER servers and all client tools: debootstrap --variant=minbase trixie (17) or
#                           sid (18), then apt-get install postgresql-N in a chroot (no cluster created). 17 is
#                           also an old server (17 data into 18) and must bring pg_dump/pg_upgrade 17 for moves
#                           into 17 (zonky has neither); its JIT (LLVM, ~100 MB) is left out: without the
#                           provider library PostgreSQL runs without JIT.
#   postgres-upgrade:15-18, postgres-upgrade:15-17
#                           postgres:18 (or :17) plus the postgres:15 tree at /usr/lib/postgresql/15, for
#                           pg_upgrade -b /usr/lib/postgresql/15/bin -B /usr/lib/postgresql/N/bin (one layer on
#                           the base image: a few MB more on disk).
#   postgres-upgrade:16-18  postgres:18 plus the zonky 16 tree at /usr/lib/postgresql/16 and Debian 15's
#                           pg_controldata and pg_resetwal in its bin/ (zonky has neither; 15 and 16 share
#                           pg_control version 1300, so the 15 tools read a 16 cluster; pg_resetwal behind a
#                           wrapper for -n, see resetwal_wrapper). Built only when
#                           named; used by src/bench/upgrade-benchmark.py, not by the tests.
#   postgres-postgis:15, postgres-postgis:18
#                           PostgreSQL with PostGIS 3 and the en_US.UTF-8 / de_DE.UTF-8 locales: debootstrap
#                           --variant=minbase bookworm (15, as Debian 12 has it) or sid (18), then apt-get install
#                           postgresql-N postgresql-N-postgis-3 locales in a chroot. Built only when named (the
#                           PostGIS test builds them when missing).
#   mariadb:10.11           OLD MariaDB server: the host's Debian mariadbd, /usr/share/mysql, the plugin
#                           folder and the libraries ldd lists.
#   mariadb:10.5            OLDER MariaDB as Debian 11 shipped it: debootstrap --variant=minbase bullseye, then
#                           apt-get install mariadb-server (mariadb-install-db, mariadbd, the client tools; no
#                           data directory made). Makes the data of a Debian 11 system for the in-place upgrade
#                           into Debian 12's 10.11.
#
# Environment: FIXTURES_DIR (default PROJECT/target/fixture-binaries), DEBIAN_MIRROR
# (default http://deb.debian.org/debian), DBRESCUE_IMAGES_WORK (scratch, default /var/tmp/dbrescue-images).
set -euo pipefail

PREFIX=localhost/dbrescue-test/
ALL=(postgres:15 postgres:16 postgres:17 postgres:18 postgres-upgrade:15-18 postgres-upgrade:15-17 mariadb:10.11 mariadb:10.5)
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PROJECT=$(cd "$HERE/../../.." && pwd)
FIXTURES=${FIXTURES_DIR:-$PROJECT/target/fixture-binaries}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
WORK=${DBRESCUE_IMAGES_WORK:-/var/tmp/dbrescue-images}
MULTIARCH=x86_64-linux-gnu
# The host's glibc family; ldd finds most of them, the rest are loaded with dlopen or by later versions.
GLIBC_LIBS=(libc.so.6 libm.so.6 libdl.so.2 librt.so.1 libpthread.so.0 libstdc++.so.6 libgcc_s.so.1)

die() { echo "build-images: $*" >&2; exit 1; }
log() { echo "build-images: $*"; }

[[ $(id -u) == 0 ]] || die "run as root (podman storage and chroot)"
command -v podman >/dev/null || die "podman is not installed (apt-get install podman runc)"

mkdir -p "$WORK"
# One build at a time on this machine (several test JVMs or worktrees may ask at once).
exec 9>"$WORK/.lock"
flock 9

SCRATCH=$(mktemp -d "$WORK/build.XXXXXX")
cleanup() {
    # never leave /proc mounted inside a root we are about to delete
    local m
    for m in $(awk -v d="$SCRATCH" 'index($2, d) == 1 {print $2}' /proc/mounts | sort -r); do
        umount -l "$m" || true
    done
    rm -rf --one-file-system "$SCRATCH"
}
trap cleanup EXIT

# An image's recipe, for the images whose recipe changed after machines had built them under the same name:
# the image carries it as the label io.dbrescue.test.recipe, and one without the expected value is built
# again (postgres:17 was zonky's server only; it now brings all of Debian's 17 tools). Keep in step with
# TestImages.RECIPES.
declare -A RECIPE=([${PREFIX}postgres:17]=debian-trixie [${PREFIX}postgres-upgrade:15-17]=debian-trixie)
recipe() { echo "${RECIPE[$1]:-}"; }
exists() {
    podman image exists "$1" || return 1
    local want
    want=$(recipe "$1")
    [[ -z $want ]] || [[ $(podman image inspect --format '{{index .Labels "io.dbrescue.test.recipe"}}' "$1") == "$want" ]]
}

# A minimal usr-merged root: /tmp 1777, passwd/group with root, /bin/sh from the host (dash, needs libc).
base_root() {
    local root=$1
    mkdir -p "$root"/{usr/bin,usr/sbin,usr/lib/$MULTIARCH,usr/lib64,etc,tmp,var/tmp,root,dev,proc,sys,run}
    ln -s usr/bin "$root/bin"
    ln -s usr/sbin "$root/sbin"
    ln -s usr/lib "$root/lib"
    ln -s usr/lib64 "$root/lib64"
    chmod 1777 "$root/tmp" "$root/var/tmp"
    chmod 700 "$root/root"
    echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
    echo 'root:x:0:' >"$root/etc/group"
    printf 'passwd: files\ngroup: files\nshadow: files\nhosts: files dns\n' >"$root/etc/nsswitch.conf"
    cp -L /bin/sh "$root/usr/bin/sh"
    cp -L "/lib64/ld-linux-x86-64.so.2" "$root/usr/lib/$MULTIARCH/ld-linux-x86-64.so.2"
    ln -s "../lib/$MULTIARCH/ld-linux-x86-64.so.2" "$root/usr/lib64/ld-linux-x86-64.so.2"
    copy_libs "$root" "$root/usr/bin/sh"
    local lib
    for lib in "${GLIBC_LIBS[@]}"; do
        host_lib "$root" "/lib/$MULTIARCH/$lib"
    done
}

# Copies one host library (following symbolic links) into ROOT/usr/lib/MULTIARCH.
host_lib() {
    local root=$1 lib=$2
    [[ -e $lib ]] || die "host library $lib is missing"
    local dest="$root/usr/lib/$MULTIARCH/$(basename "$lib")"
    [[ -e $dest ]] || cp -L "$lib" "$dest"
}

# Copies the host libraries that ldd lists for the given ELF files (libraries that resolve inside ROOT,
# bundled ones found through $ORIGIN, are left alone). Fails on "not found".
copy_libs() {
    local root=$1
    shift
    local f out line lib
    for f in "$@"; do
        file_is_elf "$f" || continue
        out=$(ldd "$f" 2>&1) || continue # "not a dynamic executable"
        if grep -q 'not found' <<<"$out"; then
            die "ldd $f: $(grep 'not found' <<<"$out" | tr '\n' ' ')"
        fi
        while read -r line; do
            lib=$(awk '{ if ($2 == "=>") print $3; else print $1 }' <<<"$line")
            [[ $lib == /* ]] || continue
            [[ $lib == "$root"/* ]] && continue
            [[ $(basename "$lib") == ld-linux-x86-64.so.2 ]] && continue
            host_lib "$root" "$lib"
        done <<<"$out"
    done
}

file_is_elf() { [[ -f $1 && ! -L $1 ]] && [[ $(head -c 4 "$1" | od -An -c | tr -d ' ') == '177ELF' ]]; }

# Unpacks the zonky jar of MAJOR (bin/ lib/ share/) into DEST.
unpack_zonky() {
    local major=$1 dest=$2 jar="$FIXTURES/postgres-$1.jar"
    [[ -f $jar ]] || die "$jar is missing: run \`mvn generate-test-resources\` first (the pom copies the zonky jars)"
    mkdir -p "$dest"
    local txz
    txz=$( (unzip -Z1 "$jar" 2>/dev/null || jar tf "$jar") | grep '\.txz$' | head -1)
    [[ -n $txz ]] || die "no .txz inside $jar"
    if command -v unzip >/dev/null; then
        unzip -p "$jar" "$txz" | tar -C "$dest" -xJf -
    else
        (cd "$SCRATCH" && jar xf "$jar" "$txz")
        tar -C "$dest" -xJf "$SCRATCH/$txz"
        rm -f "$SCRATCH/$txz"
    fi
    [[ -x $dest/bin/postgres ]] || die "$jar holds no bin/postgres"
}

# The zonky tree of MAJOR at ROOT/usr/lib/postgresql/MAJOR (+ Debian 15's pg_controldata, pg_resetwal for 15,
# and for 16 when the third argument is "with-tools": 15 and 16 share pg_control version 1300).
pg_old_tree() {
    local major=$1 root=$2 tools=${3:-}
    local home="$root/usr/lib/postgresql/$major"
    unpack_zonky "$major" "$home"
    if [[ $major == 15 || ( $major == 16 && $tools == with-tools ) ]]; then
        local tool
        for tool in pg_controldata pg_resetwal; do
            [[ -x /usr/lib/postgresql/15/bin/$tool ]] || die "/usr/lib/postgresql/15/bin/$tool is missing (apt-get install postgresql-15)"
            cp /usr/lib/postgresql/15/bin/$tool "$home/bin/$tool"
        done
    fi
}

import_root() {
    local root=$1 name=$2 path=$3 cmd=$4
    local label=()
    [[ -z $(recipe "$name") ]] || label=(--change "LABEL=io.dbrescue.test.recipe=$(recipe "$name")")
    tar --numeric-owner -C "$root" -c . | podman import --quiet \
        --change "ENV=PATH=$path" --change "CMD=$cmd" "${label[@]}" - "$name" >/dev/null
}

build_pg_old() {
    local major=$1 name=$2 root="$SCRATCH/pg$1"
    base_root "$root"
    pg_old_tree "$major" "$root"
    copy_libs "$root" "$root/usr/lib/postgresql/$major/bin/"* "$root/usr/lib/postgresql/$major/lib/postgresql/plpgsql.so"
    import_root "$root" "$name" "/usr/lib/postgresql/$major/bin:/usr/bin:/bin" '["postgres","--version"]'
    podman run --rm --user 1234:1234 "$name" postgres --version
}

# debootstrap --variant=minbase SUITE into ROOT, then apt-get install PACKAGES in a chroot (services not
# started: policy-rc.d), then the apt lists, caches, docs and locales removed.
debian_root() {
    local suite=$1 root=$2
    shift 2
    command -v debootstrap >/dev/null || die "debootstrap is not installed"
    log "debootstrap --variant=minbase $suite ($MIRROR)"
    debootstrap --variant=minbase "$suite" "$root" "$MIRROR" >"$SCRATCH/debootstrap.log" 2>&1 \
        || { tail -20 "$SCRATCH/debootstrap.log" >&2; die "debootstrap failed (log above)"; }
    printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
    chmod 755 "$root/usr/sbin/policy-rc.d"
    mkdir -p "$root/etc/postgresql-common"
    echo 'create_main_cluster = false' >"$root/etc/postgresql-common/createcluster.conf"
    mount -t proc proc "$root/proc"
    log "apt-get install $* (chroot)"
    # Check-Valid-Until=false: the mirror may be a snapshot older than the machine's clock
    chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive LC_ALL=C \
        sh -c 'apt-get -o Acquire::Check-Valid-Until=false update -q &&
               apt-get install -y -q --no-install-recommends "$@" &&
               apt-get clean' sh "$@" >"$SCRATCH/apt.log" 2>&1 \
        || { umount "$root/proc"; tail -30 "$SCRATCH/apt.log" >&2; die "apt-get install $* failed"; }
    umount "$root/proc"
    rm -f "$root/usr/sbin/policy-rc.d"
    rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/* "$root"/var/cache/debconf/*-old \
        "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/var/log/*.log
    find "$root/usr/share/locale" -mindepth 1 -maxdepth 1 -type d -exec rm -rf {} +
    chmod 1777 "$root/tmp" "$root/var/tmp"
}

build_pg18() {
    local name=$1 root="$SCRATCH/sid"
    debian_root sid "$root" postgresql-18
    [[ -x $root/usr/lib/postgresql/18/bin/pg_upgrade ]] || die "postgresql-18 brought no pg_upgrade"
    import_root "$root" "$name" "/usr/lib/postgresql/18/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
        '["pg_dump","--version"]'
    podman run --rm --user 1234:1234 "$name" pg_dump --version
}

# Debian 13's postgresql-17 without its JIT: llvmjit.so, the bitcode and libLLVM are only loaded when a query
# is costly enough for JIT, and a missing provider only turns JIT off (the tests' servers are small).
build_pg17() {
    local name=$1 root="$SCRATCH/trixie"
    debian_root trixie "$root" postgresql-17
    [[ -x $root/usr/lib/postgresql/17/bin/pg_upgrade ]] || die "postgresql-17 brought no pg_upgrade"
    rm -rf "$root"/usr/lib/postgresql/17/lib/llvmjit* "$root"/usr/lib/postgresql/17/lib/bitcode \
        "$root"/usr/lib/$MULTIARCH/libLLVM*
    import_root "$root" "$name" "/usr/lib/postgresql/17/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
        '["pg_dump","--version"]'
    podman run --rm --user 1234:1234 "$name" pg_dump --version
    podman run --rm --user 1234:1234 "$name" postgres --version
}

# PostgreSQL MAJOR with PostGIS 3 and the en_US / de_DE locales: Debian's postgresql-MAJOR-postgis-3 (15 from
# bookworm, as Debian 12 has it; 18 from sid), the locales package and localedef in the chroot.
build_pg_postgis() {
    local major=$1 name=$2 suite=sid root="$SCRATCH/postgis$1"
    [[ $major == 15 ]] && suite=bookworm
    debian_root "$suite" "$root" "postgresql-$major" "postgresql-$major-postgis-3" locales
    local l
    for l in en_US de_DE; do
        chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin localedef -i "$l" -f UTF-8 "$l.UTF-8" \
            || die "localedef $l.UTF-8 failed"
    done
    [[ -e $root/usr/lib/postgresql/$major/lib/postgis-3.so ]] || die "postgresql-$major-postgis-3 brought no postgis-3.so"
    import_root "$root" "$name" "/usr/lib/postgresql/$major/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
        '["postgres","--version"]'
    podman run --rm --user 1234:1234 "$name" postgres --version
}

# pg_upgrade reads the OLD cluster's control values with `pg_resetwal -n DATADIR`. Debian 15's pg_resetwal
# refuses a 16 data directory only because PG_VERSION says 16 ("data directory is of wrong version");
# pg_control is version 1300 in both. The wrapper shows it a folder whose PG_VERSION says 15 and whose
# global/ and pg_wal/ are links to the real ones; -n only reads. Any other use goes to the real program.
resetwal_wrapper() {
    local bin=$1
    mv "$bin/pg_resetwal" "$bin/pg_resetwal.15"
    cat >"$bin/pg_resetwal" <<'EOF'
#!/bin/sh
# Debian 15's pg_resetwal (pg_resetwal.15) for `pg_resetwal -n` on a PostgreSQL 16 data directory (same
# pg_control version 1300): see resetwal_wrapper in src/test/containers/build-images.sh.
real=$(dirname "$0")/pg_resetwal.15
if [ $# = 2 ] && [ "$1" = -n ] && [ -f "$2/PG_VERSION" ] && [ "$(cat "$2/PG_VERSION")" = 16 ]; then
    data=$(cd "$2" && pwd) || exit 1
    view=$(mktemp -d) || exit 1
    echo 15 >"$view/PG_VERSION"
    ln -s "$data/global" "$view/global"
    ln -s "$data/pg_wal" "$view/pg_wal"
    "$real" -n "$view"
    rc=$?
    rm -rf "$view"
    exit $rc
fi
exec "$real" "$@"
EOF
    chmod 755 "$bin/pg_resetwal"
}

build_pg_upgrade() {
    local name=$1 old=$2 base=${PREFIX}postgres:${3:-18} ctx="$SCRATCH/upgrade$2"
    ensure "$base"
    mkdir -p "$ctx"
    pg_old_tree "$old" "$ctx" with-tools
    if [[ $old == 16 ]]; then
        resetwal_wrapper "$ctx/usr/lib/postgresql/16/bin"
    fi
    cat >"$ctx/Containerfile" <<EOF
FROM $base
COPY usr/lib/postgresql/$old /usr/lib/postgresql/$old
LABEL io.dbrescue.test.recipe="$(recipe "$name")"
CMD ["pg_upgrade","--version"]
EOF
    podman build --quiet --layers=false --pull=never -f "$ctx/Containerfile" -t "$name" "$ctx" >/dev/null
    podman run --rm --user 1234:1234 "$name" /usr/lib/postgresql/$old/bin/postgres --version
    podman run --rm --user 1234:1234 "$name" /usr/lib/postgresql/$old/bin/pg_controldata --version
    podman run --rm --user 1234:1234 "$name" pg_upgrade --version
}

build_mariadb() {
    local name=$1 root="$SCRATCH/mariadb"
    [[ -x /usr/sbin/mariadbd ]] || die "/usr/sbin/mariadbd is missing (apt-get install mariadb-server)"
    mariadbd --version | grep -q ' Ver 10\.11\.' || die "the host's mariadbd is not 10.11: $(mariadbd --version)"
    base_root "$root"
    mkdir -p "$root/usr/lib/mysql" "$root/usr/share"
    cp /usr/sbin/mariadbd "$root/usr/sbin/mariadbd"
    cp -a /usr/share/mysql "$root/usr/share/mysql"
    cp -a /usr/lib/mysql/plugin "$root/usr/lib/mysql/plugin"
    local plugins
    mapfile -t plugins < <(find "$root/usr/lib/mysql/plugin" -type f)
    copy_libs "$root" "$root/usr/sbin/mariadbd" "${plugins[@]}"
    mkdir -p "$root/var/lib/mysql" "$root/run/mysqld"
    chmod 1777 "$root/run/mysqld"
    import_root "$root" "$name" "/usr/sbin:/usr/bin:/sbin:/bin" '["mariadbd","--version"]'
    podman run --rm --user 1234:1234 "$name" mariadbd --version
}

# MariaDB 10.5 as Debian 11 installs it (the package's own mariadb-install-db makes data directories).
build_mariadb105() {
    local name=$1 root="$SCRATCH/bullseye"
    debian_root bullseye "$root" mariadb-server
    [[ -x $root/usr/sbin/mariadbd ]] || die "mariadb-server brought no mariadbd"
    rm -rf "$root/var/lib/mysql"
    mkdir -p "$root/var/lib/mysql" "$root/run/mysqld"
    chmod 1777 "$root/run/mysqld"
    import_root "$root" "$name" "/usr/sbin:/usr/bin:/sbin:/bin" '["mariadbd","--version"]'
    podman run --rm --user 1234:1234 "$name" mariadbd --version
}

declare -A DONE=()
ensure() {
    local name=$1
    [[ $name == */* ]] || name=$PREFIX$name
    [[ -n ${DONE[$name]:-} ]] && return 0
    if exists "$name"; then
        log "$name exists, skipped"
        DONE[$name]=1
        return 0
    fi
    log "building $name"
    local start=$EPOCHREALTIME
    case ${name#"$PREFIX"} in
        postgres:15) build_pg_old 15 "$name" ;;
        postgres:16) build_pg_old 16 "$name" ;;
        postgres:17) build_pg17 "$name" ;;
        postgres:18) build_pg18 "$name" ;;
        postgres-upgrade:15-18) build_pg_upgrade "$name" 15 ;;
        postgres-upgrade:15-17) build_pg_upgrade "$name" 15 17 ;;
        postgres-upgrade:16-18) build_pg_upgrade "$name" 16 ;;
        postgres-postgis:15) build_pg_postgis 15 "$name" ;;
        postgres-postgis:18) build_pg_postgis 18 "$name" ;;
        mariadb:10.11) build_mariadb "$name" ;;
        mariadb:10.5) build_mariadb105 "$name" ;;
        *) die "unknown image $name (known: ${ALL[*]} postgres-upgrade:16-18 postgres-postgis:15 postgres-postgis:18)" ;;
    esac
    DONE[$name]=1
    log "built $name in $(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN {printf "%.1f", b - a}') s ($(podman image inspect --format '{{.Size}}' "$name") bytes)"
}

if [[ $# == 0 ]]; then
    set -- "${ALL[@]}"
fi
for image in "$@"; do
    ensure "$image"
done
