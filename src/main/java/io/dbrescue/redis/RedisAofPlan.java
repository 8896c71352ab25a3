package io.dbrescue.redis;

import io.dbrescue.plan.PlanContext;
import io.dbrescue.run.BasicSteps;
import io.dbrescue.scan.Finding;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An AOF is brought back "loaded and rewritten": the target's own redis-server loads a copy of it in a
 * throwaway server (127.0.0.1, a free port, the run-as user, a working folder inside the target's dir so
 * that the user who owns that dir can reach it), its keys are counted per database, it saves them as an
 * RDB and stops; that RDB is then placed like any snapshot (server stopped without saving, safety copy,
 * restart, key counts compared with the throwaway's). Every AOF form works this way: Redis 7's
 * appendonlydir with its manifest, the single appendonly.aof of older versions, with or without an RDB
 * preamble — Redis itself replays the commands, so nothing has to be understood here, and the target's
 * own appendonly setting decides whether it writes an AOF afterwards. Loading happens before the target is
 * touched: an AOF that does not load changes nothing.
 */
final class RedisAofPlan {
    /** The working folder, the RDB the throwaway server saves, and the file its key counts go to. */
    record Loaded(Path work, Path rdb, Path counts) {
    }

    private RedisAofPlan() {
    }

    static Loaded plan(Finding f, Path source, RedisPlanner.State st, Path dir, String runAs, String stamp,
                       PlanContext ctx) {
        Path work = dir.resolve("dbrescue-aof-" + stamp);
        boolean multiPart = "multi-part".equals(f.getFormat());
        String fileName = multiPart ? manifestName(f) : source.getFileName().toString();
        Path copy = work.resolve(multiPart ? source.getFileName().toString() : fileName);
        Path counts = io.dbrescue.run.Journal.runsDir().resolve(ctx.runId())
                .resolve("redis-aof-keys-" + ctx.groupNumber() + ".txt");
        int port = io.dbrescue.machine.Ports.freeLoopback();
        ctx.step(new BasicSteps.MakeDir(work, runAs, "rwx------"),
                "A working folder for loading the AOF, next to the target's data").writes(work.toString())
                .undo("delete it").add();
        ctx.step(new BasicSteps.Copy(source, copy, runAs, null), "Copy the AOF into it (the backup is not touched)")
                .reads(source.toString()).writes(copy + " (owner " + runAs + ")").bytes(f.getSizeBytes())
                .undo("delete the copy").add();
        List<String> argv = new ArrayList<>(List.of(st.server().toString(), "--port", Integer.toString(port), "--bind",
                "127.0.0.1", "--dir", work.toString(), "--dbfilename", "dump.rdb", "--appendonly", "yes",
                "--appendfilename", fileName));
        if (multiPart) {
            argv.addAll(List.of("--appenddirname", source.getFileName().toString()));
        }
        argv.addAll(List.of("--save", "", "--daemonize", "no", "--logfile", ""));
        RedisSteps.Server throwaway = new RedisSteps.Server(st.cli().cli(), "127.0.0.1", port, null, runAs);
        ctx.step(new RedisSteps.RedisAofLoad(throwaway, counts, "the copy of the AOF (nothing of the target was "
                        + "touched)", argv), "Load the AOF in a throwaway " + st.name() + " on 127.0.0.1:" + port
                        + ", count its keys, save them as an RDB")
                .reads(copy.toString()).writes(work.resolve("dump.rdb") + ", " + counts).writesTo(work)
                .undo("stop the throwaway server").add();
        ctx.pass("aof", "The AOF (" + f.getFormat() + ") is loaded by " + st.name() + " itself before anything of the "
                + "target is touched; if it does not load, nothing changes.");
        return new Loaded(work, work.resolve("dump.rdb"), counts);
    }

    /** appendfilename from the manifest's name ("appendonly.aof.manifest" → "appendonly.aof"). */
    static String manifestName(Finding f) {
        String manifest = String.valueOf(f.getDetails().getOrDefault("manifest", "appendonly.aof.manifest"));
        return manifest.endsWith(".manifest") ? manifest.substring(0, manifest.length() - ".manifest".length())
                : manifest;
    }
}
