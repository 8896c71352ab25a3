package io.dbrescue.redis;

import io.dbrescue.scan.Compression;
import io.dbrescue.scan.Engine;
import io.dbrescue.scan.FileDetector;
import io.dbrescue.scan.Finding;
import io.dbrescue.scan.Kind;
import io.dbrescue.scan.Sample;
import io.dbrescue.scan.Status;

import java.io.IOException;
import java.util.Locale;

/**
 * Redis files recognised by content: an RDB snapshot ("REDIS" + version), an AOF that starts with an
 * RDB preamble (named *.aof*), and an AOF of RESP commands. Files named like Redis files that are
 * neither are reported as suspicious.
 */
final class RedisFileDetector implements FileDetector {
    @Override
    public Finding detect(Sample s) throws IOException {
        byte[] head = s.contentHead();
        int rdbVersion = Rdb.version(head);
        String name = s.name().toLowerCase(Locale.ROOT);
        boolean aofName = name.contains(".aof") && !name.endsWith(".rdb");
        if (rdbVersion >= 0) {
            return aofName ? preambleAof(s) : rdb(s);
        }
        if (Aof.looksLikeResp(head)) {
            return respAof(s);
        }
        if (name.endsWith(".rdb")) {
            s.suspicious("Named like a Redis snapshot but does not start with \"REDIS\" and an RDB version: "
                    + "not a Redis dump.");
        } else if (name.startsWith("appendonly") && name.contains(".aof")) {
            s.suspicious("Named like a Redis append-only file but does not contain Redis commands: "
                    + "not a Redis AOF.");
        }
        return null;
    }

    private static Finding rdb(Sample s) throws IOException {
        Rdb.Info info = RdbFacts.read(s.openContent());
        Finding f = new Finding(Engine.REDIS, Kind.RDB);
        boolean compressed = s.compression() != Compression.NONE;
        if (compressed) {
            f.format("rdb-" + s.compression().id());
        }
        RdbFacts.describe(f, info);
        RdbFacts.judge(f, info, compressed ? null : s.path(), s.size(), "This Redis snapshot (RDB)");
        if (info.end == Rdb.End.COMPLETE && !compressed && info.length < s.size()) {
            f.warn((s.size() - info.length) + " bytes follow Redis' end marker; Redis ignores them.");
        }
        return f;
    }

    private static Finding preambleAof(Sample s) throws IOException {
        Finding f = new Finding(Engine.REDIS, Kind.AOF).format("rdb-preamble");
        if (s.compression() != Compression.NONE) {
            f.format("rdb-preamble-" + s.compression().id());
        }
        Rdb.Info info = RdbFacts.read(s.openContent());
        RdbFacts.describe(f, info);
        f.databases(java.util.List.of()); // the commands after the preamble may touch other databases
        f.getDetails().remove("keys");
        if (f.getDetails().containsKey("keysPerDatabase")) {
            f.getDetails().put("preambleKeysPerDatabase", f.getDetails().remove("keysPerDatabase"));
        }
        if (s.compression() != Compression.NONE) {
            RdbFacts.judge(f, info, null, s.size(), "The snapshot at the start of this AOF");
            return f;
        }
        if (info.end == Rdb.End.COMPLETE) {
            if (RdbFacts.judge(f, info, s.path(), s.size(), "The snapshot at the start of this AOF")) {
                judgeTail(f, Aof.checkEnd(s.path(), info.length, s.size()), "This append-only file", true);
            }
        } else if (info.end == Rdb.End.CUT_SHORT) {
            RdbFacts.judge(f, info, s.path(), s.size(), "This append-only file");
        } else {
            // walk stopped early: the end is either the preamble's end marker or RESP commands
            Aof.Tail t = Aof.checkEnd(s.path(), 0, s.size());
            if (t.end() == Aof.End.UNKNOWN) {
                RdbFacts.judge(f, info, s.path(), s.size(), "This append-only file");
            } else {
                judgeTail(f, t, "This append-only file", true);
            }
        }
        return f;
    }

    private static Finding respAof(Sample s) throws IOException {
        Finding f = new Finding(Engine.REDIS, Kind.AOF).format("resp");
        if (s.compression() != Compression.NONE) {
            f.format("resp-" + s.compression().id());
            return f;
        }
        judgeTail(f, Aof.checkEnd(s.path(), 0, s.size()), "This append-only file", true);
        return f;
    }

    /** Turns a tail check into a status and message. */
    static void judgeTail(Finding f, Aof.Tail t, String what, boolean last) {
        String fix = last ? " Redis loads it only up to the last complete command and drops the rest (with "
                + "aof-load-truncated, on by default; with it off Redis refuses to start); redis-check-aof --fix "
                + "cuts it at byte " + t.okUpTo() + "."
                : " It is not the last file of the AOF, so Redis refuses to load it; the commands after the cut "
                + "are lost.";
        if (t.end() == Aof.End.TRUNCATED || t.end() == Aof.End.OPEN_MULTI) {
            f.detail("damage", last && !"corrupt".equals(f.getDetails().get("damage")) ? "cut-short-tail" : "corrupt");
        } else if (t.end() == Aof.End.FORMAT_ERROR) {
            f.detail("damage", "corrupt");
        }
        switch (t.end()) {
            case TRUNCATED -> f.problem(Status.DAMAGED, what + " is cut short in the middle of a command "
                    + "(the last complete command ends at byte " + t.okUpTo() + ")." + fix);
            case OPEN_MULTI -> f.problem(Status.DAMAGED, what + " ends inside a MULTI/EXEC transaction whose EXEC "
                    + "is missing: it was cut short (the last complete command ends at byte " + t.okUpTo() + ")."
                    + fix);
            case FORMAT_ERROR -> f.problem(Status.DAMAGED, what + " contains something that is not a Redis command "
                    + "near byte " + t.okUpTo() + ": it is corrupt there. redis-check-aof shows the spot.");
            case UNKNOWN -> f.warn(what + " could not be checked for a cut-short end (its last command is very "
                    + "large); run redis-check-aof on it to be sure.");
            default -> {
            }
        }
    }
}
