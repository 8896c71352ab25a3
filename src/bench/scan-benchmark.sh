#!/usr/bin/env bash
# Scan benchmark (on demand; not part of the tests).
#
#   src/bench/scan-benchmark.sh [FILES] [WORKDIR]
#
# Builds a home-folder-like tree of FILES small files (default 200000) with real data directories and
# dumps made by the real programs in it (PostgreSQL 15 cluster, MariaDB datadir, Redis RDB, SQLite),
# then, with a warm cache, times `du -sb` and `java -jar target/dbrescue.jar scan --json` on the same
# tree (median of 5 each) and prints the ratio and the scan's peak RSS, for plain `java -jar` and with
# the JVM options the installed launcher uses (installer/jvm-options).
# Needs: mvn package done, python3, /usr/bin/time, postgresql-15, mariadb-server, redis-server; root or
# a user who can run them (servers run as the unprivileged user dbrescue-test when run as root).
set -euo pipefail
FILES=${1:-200000}
WORK=${2:-/tmp/dbrescue-bench}
HERE=$(cd "$(dirname "$0")" && pwd)
JAR=$HERE/../../target/dbrescue.jar
LAUNCHER_OPTS=$(grep -v '^#' "$HERE/../../installer/jvm-options" | tr '\n' ' ')
TREE=$WORK/backup
RUNS=5
[ -f "$JAR" ] || { echo "build first: mvn -B package -DskipTests" >&2; exit 1; }

as_user() {
    if [ "$(id -u)" = 0 ]; then
        id -u dbrescue-test >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin dbrescue-test
        runuser -u dbrescue-test -- "$@"
    else
        "$@"
    fi
}

if [ ! -f "$WORK/.complete-$FILES" ]; then
    rm -rf "$WORK"
    mkdir -p "$TREE"
    echo "building a tree of $FILES files in $TREE ..."
    python3 "$HERE/make-home-tree.py" "$TREE" "$FILES"
    chmod 755 "$WORK" "$TREE"
    chown -R dbrescue-test: "$WORK" 2>/dev/null || true

    echo "making real databases in it ..."
    PG=/usr/lib/postgresql/15/bin
    DATA=$TREE/var/lib/postgresql/15/main
    mkdir -p "$(dirname "$DATA")" && chown -R dbrescue-test: "$TREE/var" 2>/dev/null || true
    as_user "$PG/initdb" -D "$DATA" -U postgres -A trust --locale=C -E UTF8 >/dev/null
    as_user "$PG/pg_ctl" -D "$DATA" -o "-c listen_addresses=127.0.0.1 -p 54987 -k /tmp" -w start >/dev/null
    as_user "$PG/psql" -h 127.0.0.1 -p 54987 -U postgres -qc "CREATE DATABASE shop" >/dev/null
    as_user "$PG/pgbench" -h 127.0.0.1 -p 54987 -U postgres -i -s 2 -q shop >/dev/null 2>&1
    mkdir -p "$TREE/home/dev/dumps" && chown dbrescue-test: "$TREE/home/dev/dumps" 2>/dev/null || true
    as_user "$PG/pg_dump" -h 127.0.0.1 -p 54987 -U postgres -Fc -f "$TREE/home/dev/dumps/shop.dump" shop
    as_user "$PG/pg_dump" -h 127.0.0.1 -p 54987 -U postgres -f "$TREE/home/dev/dumps/shop.sql" shop
    as_user "$PG/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null
    mkdir -p "$TREE/var/lib/docker/volumes/pgdata/_data"
    cp -a "$DATA/." "$TREE/var/lib/docker/volumes/pgdata/_data/"

    MY=$TREE/var/lib/mysql
    mkdir -p "$MY" && chown dbrescue-test: "$MY" 2>/dev/null || true
    as_user mariadb-install-db --no-defaults --datadir="$MY" --auth-root-authentication-method=normal >/dev/null 2>&1

    mkdir -p "$TREE/var/lib/redis" && chown dbrescue-test: "$TREE/var/lib/redis" 2>/dev/null || true
    as_user redis-server --port 56379 --bind 127.0.0.1 --dir "$TREE/var/lib/redis" --save "" --daemonize no >/dev/null &
    sleep 0.5
    for i in $(seq 1 200); do echo "SET key$i value$i"; done | redis-cli -p 56379 >/dev/null
    redis-cli -p 56379 SAVE >/dev/null && redis-cli -p 56379 SHUTDOWN NOSAVE >/dev/null 2>&1 || true
    wait

    python3 - "$TREE/home/dev/projects/notes.sqlite" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1]); c.execute("create table notes(id integer primary key, body text)")
c.executemany("insert into notes(body) values (?)", [("note %d" % i,) for i in range(1000)]); c.commit()
PY
    touch "$WORK/.complete-$FILES"
fi

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "warming the cache ..."
du -sb "$TREE" >/dev/null
java -jar "$JAR" scan "$TREE" --json >/dev/null

: > "$WORK/du.txt"
for variant in plain launcher; do : > "$WORK/$variant-scan.txt"; : > "$WORK/$variant-inner.txt"; : > "$WORK/$variant-rss.txt"; done
for i in $(seq 1 $RUNS); do
    /usr/bin/time -f "%e" -o "$WORK/t" du -sb "$TREE" >/dev/null; cat "$WORK/t" >> "$WORK/du.txt"
    for variant in plain launcher; do
        opts=""; [ $variant = launcher ] && opts=$LAUNCHER_OPTS
        # shellcheck disable=SC2086
        /usr/bin/time -f "%e %M" -o "$WORK/t" java $opts -jar "$JAR" scan "$TREE" --json > "$WORK/scan.json"
        awk '{print $1}' "$WORK/t" >> "$WORK/$variant-scan.txt"; awk '{print $2}' "$WORK/t" >> "$WORK/$variant-rss.txt"
        python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['stats']['elapsedMillis']/1000)" "$WORK/scan.json" >> "$WORK/$variant-inner.txt"
    done
done

DU=$(median < "$WORK/du.txt")
python3 - "$WORK/scan.json" "$DU" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); du = float(sys.argv[2])
print("tree: %d files, %d folders; findings: %s" % (r["stats"]["files"], r["stats"]["directories"],
      ", ".join("%s %s %s" % (f["engine"], f["kind"], f["path"]) for f in r["findings"])))
print("du -sb (median of 5): %.2f s" % du)
PY
for variant in plain launcher; do
    SCAN=$(median < "$WORK/$variant-scan.txt"); INNER=$(median < "$WORK/$variant-inner.txt")
    RSS=$(sort -n "$WORK/$variant-rss.txt" | tail -1)
    label="java -jar dbrescue.jar scan"; [ $variant = launcher ] && label="java $LAUNCHER_OPTS-jar dbrescue.jar scan (installer/jvm-options)"
    python3 - "$DU" "$SCAN" "$INNER" "$RSS" "$label" <<'PY'
import sys
du, scan, inner, rss = map(float, sys.argv[1:5])
print("%s" % sys.argv[5])
print("  whole command (median of 5):      %.2f s   ratio to du %.2f (target <= 1.5)" % (scan, scan / du))
print("  the scan itself (elapsedMillis):  %.2f s   ratio to du %.2f" % (inner, inner / du))
print("  peak RSS (max of 5):              %.0f MB  (target <= 200 MB)" % (rss / 1024))
PY
done
