#!/usr/bin/env python3
"""Recovery benchmark (on demand; not part of the tests).

    mvn -B package -DskipTests && src/bench/restore-benchmark.py [SCALE] [WORKDIR]

Makes a PostgreSQL 15 cluster with pgbench at SCALE (default 140: a data directory of about 2.1 GB)
and a custom-format dump of it, then measures in one run, warm cache:
  1. direct copy: dbrescue's copy step vs `cp -a` of the same directory (throughput ratio, target >= 0.9);
  2. dump restore: dbrescue recover --jobs 2 vs `pg_restore -j2` by hand into the same server
     (time ratio, target <= 1.05);
  3. the peak RSS of the dbrescue process during the 2 GB direct restore and the dump restore
     (target <= 200 MB);
  4. the ETA dbrescue showed at 50 % of the direct restore vs the time that was really left
     (target: within 15 %).
Needs root (servers run as the unprivileged user dbrescue-test), postgresql-15, /usr/bin/time.
"""
import json
import os
import shutil
import socket
import subprocess
import sys
import time

SCALE = int(sys.argv[1]) if len(sys.argv) > 1 else 140
WORK = sys.argv[2] if len(sys.argv) > 2 else "/tmp/dbrescue-restore-bench"
HERE = os.path.dirname(os.path.abspath(__file__))
JAR = os.path.join(HERE, "..", "..", "target", "dbrescue.jar")
BIN = "/usr/lib/postgresql/15/bin"
USER = "dbrescue-test"
BACKUP = os.path.join(WORK, "backup")
SRC = os.path.join(BACKUP, "var/lib/postgresql/15/main")
DUMP = os.path.join(BACKUP, "dumps/bench.dump")


def sh(*argv, user=False, **kw):
    cmd = (["runuser", "-u", USER, "--"] if user else []) + list(argv)
    return subprocess.run(cmd, check=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw).stdout


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(data, port):
    sh(BIN + "/pg_ctl", "-D", data, "-l", data + ".log", "-w", "-o",
       "-p %d -c listen_addresses=127.0.0.1 -c unix_socket_directories=/tmp" % port, "start", user=True)


def stop(data):
    sh(BIN + "/pg_ctl", "-D", data, "-m", "fast", "-w", "stop", user=True)


def du(path):
    return int(subprocess.run(["du", "-sb", path], stdout=subprocess.PIPE, text=True).stdout.split()[0])


def rm(path):
    if os.path.exists(path):
        shutil.rmtree(path)


def dbrescue(args, env=None):
    """Runs the jar with --json-progress under /usr/bin/time; returns (events with arrival times, rss KB, seconds)."""
    timing = os.path.join(WORK, "time.txt")
    cmd = ["/usr/bin/time", "-f", "%M %e", "-o", timing, "java", "-jar", JAR] + args + ["--yes", "--json-progress"]
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         env=dict(os.environ, XDG_STATE_HOME=os.path.join(WORK, "state"), **(env or {})))
    events = []
    for line in p.stdout:
        if line.startswith("{"):
            events.append((time.monotonic() - t0, json.loads(line)))
    err = p.stderr.read()
    if p.wait() != 0:
        raise SystemExit("dbrescue failed:\n" + err + "\n" + "\n".join(json.dumps(e) for _, e in events[-5:]))
    rss, secs = open(timing).read().split()
    return events, int(rss), float(secs)


def step_seconds(events, kind_title_part):
    """Duration of the first step whose title contains the text, from its start event to the next step."""
    start = end = None
    for t, e in events:
        title = e.get("stepTitle") or ""
        if start is None and kind_title_part in title and e.get("message"):
            start, sid = t, e["stepId"]
        elif start is not None and e.get("stepId") != sid:
            end = t
            break
    return (end or events[-1][0]) - start


def main():
    if os.geteuid() != 0:
        raise SystemExit("run as root (servers run as %s)" % USER)
    subprocess.run(["useradd", "--system", "--no-create-home", USER], stderr=subprocess.DEVNULL)
    os.makedirs(WORK, exist_ok=True)
    os.chmod(WORK, 0o755)
    marker = os.path.join(WORK, ".ready-%d" % SCALE)
    if not os.path.exists(marker):
        rm(BACKUP)
        os.makedirs(os.path.dirname(SRC))
        os.makedirs(os.path.dirname(DUMP))
        sh("chown", "-R", USER, WORK)
        print("making a PostgreSQL 15 cluster with pgbench scale %d ..." % SCALE, flush=True)
        sh(BIN + "/initdb", "-D", SRC, "-U", "postgres", "-A", "trust", "--locale=C", "-E", "UTF8", user=True)
        port = free_port()
        start(SRC, port)
        sh(BIN + "/createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "bench", user=True)
        sh(BIN + "/pgbench", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-i", "-q", "-s", str(SCALE), "bench",
           user=True)
        sh(BIN + "/pg_dump", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-Fc", "-f", DUMP, "bench", user=True)
        stop(SRC)
        sh("chmod", "-R", "a+rX", BACKUP)
        open(marker, "w").close()
    size = du(SRC)
    print("data directory: %.2f GB; dump: %.0f MB" % (size / 1e9, os.path.getsize(DUMP) / 1e6), flush=True)

    # 1 + 3 + 4: direct copy vs cp -a, RSS, ETA at 50 %
    # warm cache for both: read every file once (tar to a pipe: tar skips reading when writing to /dev/null)
    subprocess.run("tar -C '%s' -cf - . | cat > /dev/null" % SRC, shell=True, check=True)  # fixed string, no user input

    def cp_a():
        cp_target = os.path.join(WORK, "cp-copy")
        rm(cp_target)
        t = time.monotonic()
        sh("cp", "-a", SRC, cp_target)
        took = time.monotonic() - t
        rm(cp_target)
        return took

    cp_first = cp_a()
    target = os.path.join(WORK, "target-main")
    rm(target)
    events, rss_direct, total_direct = dbrescue(["recover", BACKUP, "--select", "var/lib/postgresql/15/main",
                                                 "--target-data", target, "--target-bin", BIN, "--target-port",
                                                 str(free_port()), "--run-as", USER])
    copy_secs = step_seconds(events, "Copy")
    cp_secs = min(cp_first, cp_a())  # cp -a before and after dbrescue's copy: the better of the two
    eta_pred = eta_real = None
    t_end = None
    for t, e in events:
        if e.get("phase") in ("done", "failed"):
            t_end = t
    for t, e in events:
        if e["total"] and e["done"] / e["total"] >= 0.5 and e.get("etaSeconds", -1) >= 0:
            eta_pred, eta_real = e["etaSeconds"], t_end - t
            break
    try:
        stop(target)
    except subprocess.CalledProcessError:
        pass
    rm(target)

    # 2 + 3: dump restore vs pg_restore -j2 by hand, into the same fresh server
    server = os.path.join(WORK, "restore-server")
    rm(server)
    os.makedirs(server)
    sh("chown", USER, server)
    sh(BIN + "/initdb", "-D", server + "/data", "-U", "postgres", "-A", "trust", "--locale=C", "-E", "UTF8", user=True)
    port = free_port()
    start(server + "/data", port)
    conn = ["-h", "127.0.0.1", "-p", str(port), "-U", "postgres"]
    sh(BIN + "/createdb", *conn, "byhand", user=True)
    t = time.monotonic()
    sh(BIN + "/pg_restore", *conn, "-j", "2", "-d", "byhand", DUMP, user=True)
    hand_secs = time.monotonic() - t
    events, rss_dump, total_dump = dbrescue(["recover", BACKUP, "--select", "dumps/bench.dump", "--jobs", "2",
                                             "--target-bin", BIN, "--target-host", "127.0.0.1", "--target-port",
                                             str(port), "--target-user", "postgres"])
    restore_secs = step_seconds(events, "Restore")
    stop(server + "/data")
    rm(server)

    print()
    print("1. direct copy of %.2f GB: cp -a %.1f s (%.0f MB/s); dbrescue copy step %.1f s (%.0f MB/s): "
          "throughput ratio %.2f (target >= 0.9); whole direct restore incl. start and verify %.1f s"
          % (size / 1e9, cp_secs, size / cp_secs / 1e6, copy_secs, size / copy_secs / 1e6, cp_secs / copy_secs,
             total_direct))
    print("2. dump restore: pg_restore -j2 by hand %.1f s; dbrescue restore step %.1f s: time ratio %.2f (target <= 1.05); "
          "whole recover command incl. scan, checks and verification %.1f s (ratio %.2f)"
          % (hand_secs, restore_secs, restore_secs / hand_secs, total_dump, total_dump / hand_secs))
    print("3. peak RSS of dbrescue: direct restore %.0f MB, dump restore %.0f MB (target <= 200 MB)"
          % (rss_direct / 1024, rss_dump / 1024))
    if eta_pred is not None:
        print("4. ETA shown at 50 %%: %.1f s; really left: %.1f s; error %.0f %% (target within 15 %%)"
              % (eta_pred, eta_real, abs(eta_pred - eta_real) / eta_real * 100))
    else:
        print("4. no ETA was shown at 50 % (the run was too short to measure a rate)")


if __name__ == "__main__":
    main()
