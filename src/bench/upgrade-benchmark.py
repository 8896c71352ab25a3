#!/usr/bin/env python3
"""Benchmark of the container strategy, PostgreSQL 16 -> 18 (on demand; not part of the tests).

    mvn -B -q package -DskipTests          # target/dbrescue.jar and target/fixture-binaries (zonky jars)
    src/test/containers/build-images.sh postgres:16 postgres:18 postgres-upgrade:16-18
    python3 src/bench/upgrade-benchmark.py [--scale N] [--work DIR] [--keep-backup] [--save-events DIR]

Run as root (servers run as the unprivileged user dbrescue-test, through runuser). Makes a PostgreSQL 16
cluster with the zonky 16 binaries (target/pg-bin/16, unpacked from target/fixture-binaries/postgres-16.jar
when missing): pgbench -i -s N (Debian 15's pgbench; default N=70, a data directory of about 1.1 GB) in the
database `bench` plus a small second database `notes`, cleanly stopped, in a backup folder. Then, warm
cache, in one run:
  A. `cp -a` of the data directory + sync (twice: before and after the dbrescue runs; the faster counts);
  B. by hand with the tools dbrescue uses: the 16 server on the host (on a copy), pg_dump -Fd -j2 and
     pg_restore -j2 --create of version 18 from the image postgres:18 (--network=host), per database,
     into a fresh zonky 18 server (checksums on, the 18 default): dump + restore timed;
  C. dbrescue --strategy container --upgrade-method dump into another fresh zonky 18 server;
  D. dbrescue --upgrade-method pg-upgrade (image postgres-upgrade:16-18) into a fresh zonky 18 cluster
     made with --no-data-checksums, running, whose data directory is --target-data;
and prints the times, the ratios D / A (target <= 1.5) and C / B (target <= 1.0, "no slower"), the peak
RSS of the dbrescue JVMs (/usr/bin/time -v) and where dbrescue's time went (from --json-progress: the
arrival time of each "Step N: ..." event). Every run is checked afterwards (row counts in the target).
Cleans up: servers stopped, containers of its runs removed, the work folder deleted (--keep-backup keeps
the made cluster for the next run).
"""
import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tarfile
import time
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
PROJECT = os.path.normpath(os.path.join(HERE, "..", ".."))
JAR = os.path.join(PROJECT, "target", "dbrescue.jar")
FIXTURES = os.path.join(PROJECT, "target", "fixture-binaries")
DEB15 = "/usr/lib/postgresql/15/bin"
USER = "dbrescue-test"
PREFIX = "localhost/dbrescue-test/"
IMG16, IMG18, IMG_UP = PREFIX + "postgres:16", PREFIX + "postgres:18", PREFIX + "postgres-upgrade:16-18"
SELECT = "var/lib/postgresql/16/main"
PASSWORD = "bench-pw-16"  # the new cluster of pg_upgrade asks for one on TCP (scram-sha-256)
LABEL = "io.dbrescue.run"
ENV = dict(os.environ, PGPASSWORD=PASSWORD)
SAVE_EVENTS = None  # --save-events DIR

started = []  # (bin, data dir) of servers this script started
run_ids = []  # dbrescue run ids, to find their containers


def sh(*argv, user=False, quiet=False, **kw):
    cmd = (["runuser", "-u", USER, "--"] if user else []) + list(argv)
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV, **kw)
    if p.returncode != 0:
        raise SystemExit("failed (%d): %s\n%s%s" % (p.returncode, " ".join(cmd), p.stdout[-3000:], p.stderr[-3000:]))
    return p.stdout


def timed(*argv, **kw):
    t = time.monotonic()
    sh(*argv, **kw)
    return time.monotonic() - t


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def du(path):
    return int(subprocess.run(["du", "-sb", path], stdout=subprocess.PIPE, text=True).stdout.split()[0])


def rm(path):
    if os.path.lexists(path):
        shutil.rmtree(path)


def zonky(major):
    """The bin folder of the zonky binaries (target/pg-bin/MAJOR, like PgCluster.java; unpacked when missing)."""
    home = os.path.join(PROJECT, "target", "pg-bin", major)
    if not os.path.exists(os.path.join(home, ".complete")):
        jar = os.path.join(FIXTURES, "postgres-%s.jar" % major)
        if not os.path.isfile(jar):
            raise SystemExit(jar + " is missing: run mvn -B -q package -DskipTests first")
        tmp = home + ".tmp"
        rm(tmp)
        rm(home)
        os.makedirs(tmp)
        with zipfile.ZipFile(jar) as z:
            txz = next(n for n in z.namelist() if n.endswith(".txz"))
            with z.open(txz) as f, tarfile.open(fileobj=f, mode="r|xz") as t:
                t.extractall(tmp)
        os.rename(tmp, home)
        open(os.path.join(home, ".complete"), "w").close()
    p = home
    while p.startswith(PROJECT) and p != PROJECT:  # the test user must reach the binaries
        os.chmod(p, os.stat(p).st_mode | 0o755)
        p = os.path.dirname(p)
    sh("chmod", "-R", "a+rX", home)
    return os.path.join(home, "bin")


def initdb(bin_dir, data, *extra):
    os.makedirs(os.path.dirname(data), exist_ok=True)
    sh("chown", USER, os.path.dirname(data))
    sh(bin_dir + "/initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "-N", *extra,
       user=True)


def start(bin_dir, data, port):
    sh(bin_dir + "/pg_ctl", "-D", data, "-l", data + ".log", "-w", "-t", "120", "-o",
       "-p %d -c listen_addresses=127.0.0.1 -c unix_socket_directories=/tmp" % port, "start", user=True)
    started.append((bin_dir, data))


def stop(bin_dir, data):
    if os.path.exists(os.path.join(data, "postmaster.pid")):
        sh(bin_dir + "/pg_ctl", "-D", data, "-m", "fast", "-w", "-t", "120", "stop", user=True)


def psql(port, db, sql):
    return sh(DEB15 + "/psql", "-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", str(port),
              "-U", "postgres", "-d", db, "-c", sql).strip()


def make_backup(work, scale, bin16):
    backup = os.path.join(work, "backup")
    src = os.path.join(backup, SELECT)
    marker = os.path.join(work, ".backup-ready-%d" % scale)
    if os.path.exists(marker):
        return backup, src
    rm(backup)
    os.makedirs(os.path.dirname(src))
    sh("chown", "-R", USER, backup)
    print("making a PostgreSQL 16 cluster (zonky %s) with pgbench -s %d ..." % (bin16, scale), flush=True)
    t = time.monotonic()
    initdb(bin16, src)
    port = free_port()
    start(bin16, src, port)
    psql(port, "postgres", "CREATE DATABASE bench")
    psql(port, "postgres", "CREATE DATABASE notes")
    sh(DEB15 + "/pgbench", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-i", "-q", "-s", str(scale), "bench",
       user=True)
    psql(port, "notes", "CREATE TABLE note (id int PRIMARY KEY, body text, made timestamptz DEFAULT now())")
    psql(port, "notes", "INSERT INTO note SELECT g, md5(g::text) FROM generate_series(1, 100000) g")
    psql(port, "postgres", "ALTER ROLE postgres PASSWORD '%s'" % PASSWORD)
    stop(bin16, src)
    started.remove((bin16, src))
    os.remove(src + ".log")
    sh("chmod", "-R", "a+rX", backup)
    open(marker, "w").close()
    print("  made in %.0f s" % (time.monotonic() - t), flush=True)
    return backup, src


def cp_a(src, work):
    target = os.path.join(work, "cp-copy")
    rm(target)
    t = time.monotonic()
    sh("cp", "-a", src, target)
    sh("sync")
    took = time.monotonic() - t
    rm(target)
    sh("sync")
    return took


def by_hand(src, work, bin16, bin18, dbs):
    """The 16 server on the host (on a copy), pg_dump -Fd -j2 / pg_restore -j2 18 from the image into a fresh 18."""
    base = os.path.join(work, "hand")
    old = os.path.join(base, "old", "data")
    os.makedirs(os.path.dirname(old))
    sh("chown", USER, os.path.dirname(old))
    sh("cp", "-a", src, old)
    os.chmod(old, 0o700)  # the backup is a+rX; PostgreSQL wants 0700 or 0750
    p16 = free_port()
    start(bin16, old, p16)
    new = os.path.join(base, "new", "data")
    initdb(bin18, new)
    p18 = free_port()
    start(bin18, new, p18)
    dumps = os.path.join(base, "dumps")
    os.makedirs(dumps)
    run = ["podman", "run", "--rm", "--pull=never", "--security-opt", "label=disable", "--network=host",
           "-v", "%s:%s" % (dumps, dumps), "-e", "PGPASSWORD"]
    result = {}
    for db in dbs:
        d = os.path.join(dumps, db)
        t_dump = timed(*run, "--entrypoint", "pg_dump", IMG18, "-Fd", "-j", "2", "--verbose", "-w", "-h", "127.0.0.1",
                       "-p", str(p16), "-U", "postgres", "-d", db, "-f", d)
        t_restore = timed(*run, "--entrypoint", "pg_restore", IMG18, "--verbose", "--exit-on-error", "-w",
                          "--no-tablespaces", "-j", "2", "-h", "127.0.0.1", "-p", str(p18), "-U", "postgres",
                          "--create", "-d", "postgres", d)
        result[db] = (t_dump, t_restore, du(d))
    counts = check(p18)
    stop(bin16, old)
    stop(bin18, new)
    rm(base)
    return result, counts


def check(port):
    return (psql(port, "bench", "SELECT count(*) FROM pgbench_accounts"), psql(port, "notes", "SELECT count(*) FROM note"))


def dbrescue(work, args, name):
    """java -jar under /usr/bin/time -v with --json-progress; returns (seconds, peak RSS KB, step list)."""
    timing = os.path.join(work, "time-%s.txt" % name)
    cmd = ["/usr/bin/time", "-v", "-o", timing, "java", "-jar", JAR] + args + ["--yes", "--json-progress"]
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         env=dict(ENV, XDG_STATE_HOME=os.path.join(work, "state")))
    events = []
    saved = open(os.path.join(SAVE_EVENTS, "upgrade-benchmark-%s.jsonl" % name), "w") if SAVE_EVENTS else None
    for line in p.stdout:
        if line.startswith("{"):
            if saved:
                saved.write("%.3f %s" % (time.monotonic() - t0, line))
            e = json.loads(line)
            events.append((time.monotonic() - t0, e))
            if e.get("runId") and e["runId"] not in run_ids:
                run_ids.append(e["runId"])
    err = p.stderr.read()
    rc = p.wait()
    if saved:
        saved.close()
    wall = time.monotonic() - t0
    if rc != 0:
        log = "\n".join(e.get("message") or "" for _, e in events if e.get("message"))
        raise SystemExit("dbrescue (%s) failed, exit %d:\n%s\n%s" % (name, rc, log[-6000:], err[-3000:]))
    rss = 0
    for line in open(timing):
        if "Maximum resident set size" in line:
            rss = int(line.split(":")[1])
    return wall, rss, steps(events, wall)


def steps(events, wall):
    """[(title, seconds)]: 'JVM start, scan, preflight' up to the first step, each step to the next, the rest."""
    starts = []
    for t, e in events:
        m = e.get("message") or ""
        if e.get("phase") == "step" and m.startswith("Step ") and e.get("stepId") not in [s[1] for s in starts]:
            starts.append((t, e["stepId"], e.get("stepTitle") or m))
    end = next((t for t, e in events if e.get("phase") in ("done", "failed")), wall)
    out = [("JVM start, scan, checks (before step 1)", starts[0][0] if starts else end)]
    for i, (t, sid, title) in enumerate(starts):
        nxt = starts[i + 1][0] if i + 1 < len(starts) else end
        out.append(("%s %s" % (sid, title), nxt - t))
    out.append(("after the last step (summary, exit)", wall - end))
    return out


def print_split(name, split, wall):
    print("   time split of %s (from --json-progress event arrival; steps under 0.3 s left out):" % name)
    rest = 0.0
    for title, secs in split:
        if secs >= 0.3:
            print("     %6.1f s %4.0f %%  %s" % (secs, 100 * secs / wall, title[:110]))
        else:
            rest += secs
    print("     %6.1f s        (%d short steps together)" % (rest, sum(1 for _, s in split if s < 0.3)))


def cleanup(work, keep_backup):
    for bin_dir, data in reversed(started):
        try:
            stop(bin_dir, data)
        except SystemExit as e:
            print("could not stop %s: %s" % (data, e), file=sys.stderr)
    for rid in run_ids:
        out = subprocess.run(["podman", "ps", "-a", "--filter", "label=%s=%s" % (LABEL, rid), "--format", "{{.Names}}"],
                             stdout=subprocess.PIPE, text=True).stdout.split()
        for name in out:
            print("removing the container %s that dbrescue left" % name)
            subprocess.run(["podman", "rm", "-f", name], stdout=subprocess.DEVNULL)
    if os.path.isdir(work):
        for n in os.listdir(work):
            if not (keep_backup and (n == "backup" or n.startswith(".backup-ready"))):
                p = os.path.join(work, n)
                rm(p) if os.path.isdir(p) and not os.path.islink(p) else os.remove(p)
        if not keep_backup:
            os.rmdir(work)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scale", type=int, default=70, help="pgbench scale (70: about 1.1 GB)")
    ap.add_argument("--work", default="/var/tmp/dbrescue-upgrade-bench")
    ap.add_argument("--keep-backup", action="store_true", help="keep the made 16 cluster for the next run")
    ap.add_argument("--save-events", metavar="DIR",
                    help="keep each dbrescue run's --json-progress lines (with arrival seconds) in DIR")
    a = ap.parse_args()
    global SAVE_EVENTS
    SAVE_EVENTS = a.save_events
    if os.geteuid() != 0:
        raise SystemExit("run as root (servers run as %s)" % USER)
    if not os.path.isfile(JAR):
        raise SystemExit(JAR + " is missing: mvn -B -q package -DskipTests")
    for img in (IMG16, IMG18, IMG_UP):
        if subprocess.run(["podman", "image", "exists", img]).returncode != 0:
            raise SystemExit("no image %s: src/test/containers/build-images.sh %s" % (img, img[len(PREFIX):]))
    bin16, bin18 = zonky("16"), zonky("18")
    os.makedirs(a.work, exist_ok=True)
    os.chmod(a.work, 0o755)
    try:
        run(a, bin16, bin18)
    finally:
        cleanup(a.work, a.keep_backup)
    left = subprocess.run(["podman", "ps", "-a", "--filter", "label=" + LABEL, "--format", "{{.Names}}"],
                          stdout=subprocess.PIPE, text=True).stdout.split()
    print("cleanup: servers stopped; containers labelled %s now: %s; %s" % (
        LABEL, ", ".join(left) or "none", "backup kept in " + a.work if a.keep_backup else a.work + " deleted"))


def run(a, bin16, bin18):
    work = a.work
    backup, src = make_backup(work, a.scale, bin16)
    size = du(src)
    dbs = ["bench", "notes"]
    print("data directory: %s, %.2f GB (pgbench scale %d + notes 100000 rows)" % (src, size / 1e9, a.scale), flush=True)
    subprocess.run("tar -C '%s' -cf - . | cat > /dev/null" % src, shell=True, check=True)  # warm the cache

    print("A. cp -a + sync ...", flush=True)
    cp1 = cp_a(src, work)

    print("B. by hand: pg_dump -Fd -j2 / pg_restore -j2 (18, in %s) per database ..." % IMG18, flush=True)
    hand, hand_counts = by_hand(src, work, bin16, bin18, dbs)
    hand_secs = sum(d + r for d, r, _ in hand.values())

    print("C. dbrescue dump path ...", flush=True)
    dump_target = os.path.join(work, "dump-target", "data")
    initdb(bin18, dump_target)
    p = free_port()
    start(bin18, dump_target, p)
    dump_args = ["--set", "images.postgresql=" + PREFIX + "postgres:{major}", "recover", backup, "--select", SELECT,
                 "--strategy", "container", "--upgrade-method", "dump", "--target-bin", bin18,
                 "--target-host", "127.0.0.1", "--target-port", str(p), "--target-user", "postgres", "--run-as", USER]
    dump_wall, dump_rss, dump_split = dbrescue(work, dump_args, "dump")
    dump_counts = check(p)
    stop(bin18, dump_target)
    rm(os.path.dirname(dump_target))

    print("D. dbrescue pg_upgrade path ...", flush=True)
    up_target = os.path.join(work, "upgrade-target", "data")
    initdb(bin18, up_target, "--no-data-checksums")
    p = free_port()
    start(bin18, up_target, p)
    up_args = ["--set", "images.postgresql_upgrade=" + PREFIX + "postgres-upgrade:{old}-{new}", "recover", backup,
               "--select", SELECT, "--strategy", "container", "--upgrade-method", "pg-upgrade", "--target-bin", bin18,
               "--target-data", up_target, "--target-host", "127.0.0.1", "--target-port", str(p),
               "--target-user", "postgres", "--run-as", USER]
    up_wall, up_rss, up_split = dbrescue(work, up_args, "pg-upgrade")
    up_counts = check(p)
    up_version = psql(p, "postgres", "SHOW server_version")
    stop(bin18, up_target)
    rm(os.path.dirname(up_target))

    cp2 = cp_a(src, work)
    cp = min(cp1, cp2)
    want = (str(a.scale * 100000), "100000")
    print()
    print("PostgreSQL 16 -> 18, data directory %.2f GB (pgbench -s %d), warm cache, %d cores" % (
        size / 1e9, a.scale, os.cpu_count()))
    print("%-62s %9s %9s" % ("", "seconds", "peak RSS"))
    print("%-62s %9.1f" % ("A. cp -a + sync (best of %.1f / %.1f)" % (cp1, cp2), cp))
    for db, (d, r, sz) in hand.items():
        print("%-62s %9.1f" % ("B. by hand %s: pg_dump -Fd -j2 %.1f + pg_restore -j2 %.1f (dump %.0f MB)"
                               % (db, d, r, sz / 1e6), d + r))
    print("%-62s %9.1f" % ("B. by hand, both databases", hand_secs))
    print("%-62s %9.1f %6.0f MB" % ("C. dbrescue --upgrade-method dump (whole command)", dump_wall, dump_rss / 1024))
    print("%-62s %9.1f %6.0f MB" % ("D. dbrescue --upgrade-method pg-upgrade (whole command)", up_wall, up_rss / 1024))
    print()
    print("pg_upgrade path / cp -a:                 %.2f  (target <= 1.5)  %s" % (
        up_wall / cp, "MET" if up_wall / cp <= 1.5 else "NOT MET"))
    print("dump path / (pg_dump -j2 + pg_restore -j2 by hand): %.2f  (target <= 1.0)  %s" % (
        dump_wall / hand_secs, "MET" if dump_wall / hand_secs <= 1.0 else "NOT MET"))
    dump_steps = sum(s for t, s in dump_split if "Dump " in t or "Restore " in t)
    print("  the same with only dbrescue's pg-dump-db + pg-restore steps: %.1f s, ratio %.2f" % (
        dump_steps, dump_steps / hand_secs))
    print("rows: by hand %s, dump path %s, pg_upgrade path %s (server %s); expected %s" % (
        "/".join(hand_counts), "/".join(dump_counts), "/".join(up_counts), up_version, "/".join(want)))
    if not (hand_counts == dump_counts == up_counts == want):
        print("ROW COUNTS DIFFER: the numbers above are not comparable")
    print()
    print_split("the dump path", dump_split, dump_wall)
    print_split("the pg_upgrade path", up_split, up_wall)


if __name__ == "__main__":
    main()
