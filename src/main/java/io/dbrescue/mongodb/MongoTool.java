package io.dbrescue.mongodb;

import io.dbrescue.plan.Replacement;
import io.dbrescue.plan.Replacements;
import io.dbrescue.plan.Step;
import io.dbrescue.plan.StepParams;
import io.dbrescue.run.Exec;
import io.dbrescue.run.Failures;
import io.dbrescue.run.StepContext;
import io.dbrescue.run.TypedStep;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs mongodump / mongorestore through {@link Exec}. The MongoDB tools take a password only on the
 * command line or in a YAML --config file, so when MONGODB_PASSWORD is set it goes into a 0600 file in the
 * run's folder, deleted right after. Output goes to a log in the run's folder.
 */
final class MongoTool implements TypedStep<MongoTool.MongoToolRun> {
    /**
     * {@code mongo-tool}: argv (mongodump or mongorestore) run with the password of the variable passEnv
     * ({@link MongoEngine#PASSWORD_VARIABLE} when absent) when it logs in with --username. A safety dump of the
     * target (its title says so) is what the plan replaces.
     */
    record MongoToolRun(List<String> argv, String passEnv) implements StepParams, StepParams.Replaces {
        @Override
        public String kind() {
            return "mongo-tool";
        }

        @Override
        public Replacement replacement(Step step, Replacements.Where where) {
            return step.title().startsWith(SAFETY_DUMP)
                    ? new Replacement(step.group(), "collections of the same name", "on " + step.reads(), step.writes())
                    : null;
        }
    }

    /** How the title of the target's safety dump begins (it is what the plan replaces). */
    static final String SAFETY_DUMP = "Safety dump";

    @Override
    public void run(MongoToolRun p, Step step, StepContext ctx) throws Exception {
        List<String> argv = new ArrayList<>(p.argv());
        String password = ctx.secrets().get(p.passEnv() == null ? MongoEngine.PASSWORD_VARIABLE : p.passEnv());
        Path config = null;
        if (password != null && argv.contains("--username")) {
            config = Files.createTempFile(ctx.runDir(), "mongo-tool-", ".yaml",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(config, "password: \"" + password.replace("\\", "\\\\").replace("\"", "\\\"") + "\"\n",
                    StandardCharsets.UTF_8);
            argv.add(1, "--config=" + config);
        }
        try {
            Exec.Result r = Exec.of(argv).stderrLog(ctx.runDir().resolve("mongo-tool-" + step.id() + ".log")).run(ctx);
            if (!r.ok()) {
                throw Failures.of(step.title(), r);
            }
        } finally {
            if (config != null) {
                Files.deleteIfExists(config);
            }
        }
    }
}
