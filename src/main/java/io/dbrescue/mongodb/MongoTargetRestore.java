package io.dbrescue.mongodb;

import io.dbrescue.plan.PlanContext;
import io.dbrescue.run.Journal;
import io.dbrescue.machine.TargetOptions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * mongorestore into the running target, as every MongoDB path ends: with --on-conflict replace
 * (mongorestore --drop) the target is first dumped whole into the run's folder — the safety dump, which
 * {@code mongorestore --drop --archive=FILE} puts back — and the password, if any, reaches the tools in a
 * 0600 --config file ({@link MongoTool}), never on the command line.
 */
final class MongoTargetRestore {
    private MongoTargetRestore() {
    }

    static List<String> login(TargetOptions o, Path tool, String host, int port) {
        List<String> argv = new ArrayList<>(List.of(tool.toString(), "--host", host, "--port", Integer.toString(port)));
        if (o.user() != null) {
            argv.addAll(List.of("--username", o.user(), "--authenticationDatabase", "admin"));
        }
        return argv;
    }

    /** Adds the steps; false when the plan cannot go on (a check failed). */
    static boolean plan(PlanContext ctx, TargetOptions o, Path mongodump, Path mongorestore, List<String> sourceArgs,
                        long bytes, String reads) {
        String host = o.hostOr("127.0.0.1");
        int port = o.port() != null ? o.port() : MongoEngine.PORT;
        List<String> restore = login(o, mongorestore, host, port);
        switch (ctx.request().onConflict()) {
            case REPLACE -> {
                if (mongodump == null) {
                    ctx.fail("safety-copy", "--on-conflict replace drops collections of the same name, and the safety "
                            + "dump made before needs mongodump, which is not installed.", MongoEngine.advice("mongodump"));
                    return false;
                }
                Path safety = Journal.runsDir().resolve(ctx.runId()).resolve("mongodb-target-before-"
                        + ctx.groupNumber() + ".archive");
                List<String> dump = login(o, mongodump, host, port);
                dump.add("--archive=" + safety);
                ctx.step(new MongoTool.MongoToolRun(dump, MongoEngine.PASSWORD_VARIABLE),
                                MongoTool.SAFETY_DUMP + " of the target before --drop: " + safety).reads(host + ":" + port).writes(safety.toString())
                        .undo("delete it").add();
                restore.add("--drop");
                ctx.warn("conflict", "--on-conflict replace: collections of the same name are dropped before they are "
                        + "restored (mongorestore --drop); the whole target is dumped first to " + safety + ".",
                        "To go back: mongorestore --drop --archive=" + safety + ".");
            }
            case RENAME -> {
                ctx.fail("conflict", "Restoring MongoDB data under new names is not supported.",
                        "Use --on-conflict skip/ask (documents are added, duplicates by _id skipped) or replace.");
                return false;
            }
            default -> ctx.warn("conflict", "Existing collections of the same name get the restored documents added "
                    + "(documents whose _id exists are skipped).", "Use --on-conflict replace to drop them first "
                    + "(after a safety dump).");
        }
        restore.addAll(sourceArgs);
        ctx.step(new MongoTool.MongoToolRun(restore, MongoEngine.PASSWORD_VARIABLE),
                        "Restore with mongorestore into " + host + ":" + port).reads(reads).writes(host + ":" + port).bytes(bytes)
                .undo("none: the safety dump (with replace) or dropping the restored databases puts it back").add();
        return true;
    }
}
