package io.dbrescue.mongodb;

import io.dbrescue.plan.Step;
import io.dbrescue.run.Exec;
import io.dbrescue.run.Failures;
import io.dbrescue.run.Secrets;
import io.dbrescue.run.StepContext;
import io.dbrescue.run.StepExecutor;

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
final class MongoTool implements StepExecutor {
    @Override
    public void run(Step step, StepContext ctx) throws Exception {
        List<String> argv = new ArrayList<>(step.argv());
        String password = ctx.secrets().get(step.param("passEnv", "MONGODB_PASSWORD"));
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
