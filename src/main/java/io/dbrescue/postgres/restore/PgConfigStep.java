package io.dbrescue.postgres.restore;

import com.fasterxml.jackson.core.type.TypeReference;
import io.dbrescue.plan.Replacement;
import io.dbrescue.plan.Replacements;
import io.dbrescue.plan.Step;
import io.dbrescue.plan.StepParams;
import io.dbrescue.run.StepContext;
import io.dbrescue.run.TypedStep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code pg-config} (facts): writes the carried configuration ({@link PgConfigCarry}, computed again from the
 * same facts the plan showed). In the restored data directory the files are simply written — that folder is
 * new, its undo is the copy's. A file outside it (Debian's /etc/postgresql/N/NAME) that exists is first copied
 * beside itself as NAME.before-dbrescue-RUN (the safety copy, named in the summary); undo puts every such
 * file back and deletes the ones it created.
 */
final class PgConfigStep implements TypedStep<PgConfigStep.PgConfig> {
    private static final Logger LOG = LoggerFactory.getLogger(PgConfigStep.class);

    /**
     * {@code pg-config}: facts (JSON in the step) the configuration is carried from again; diff is what the plan
     * showed, for its reader; runId names the safety copies.
     */
    record PgConfig(PgConfigCarry.Facts facts, String diff, String runId) implements StepParams, StepParams.Replaces {
        @Override
        public String kind() {
            return "pg-config";
        }

        /** The target's configuration files, when the step keeps them beside the carried ones (its writes say so). */
        @Override
        public Replacement replacement(Step step, Replacements.Where where) {
            return step.writes().contains("before-dbrescue-")
                    ? new Replacement(step.group(), "configuration files", step.writes().replaceAll(" \\(the existing.*", ""),
                    "beside them, named NAME.before-dbrescue-" + (runId == null ? "RUN" : runId)) : null;
        }
    }

    @Override
    public void run(PgConfig p, Step step, StepContext ctx) throws Exception {
        PgConfigCarry.Facts facts = p.facts();
        PgConfigCarry.Result r = PgConfigCarry.carry(facts);
        Path data = Path.of(facts.dataDir());
        String owner = facts.owner();
        List<String[]> ledger = new ArrayList<>();
        Path ledgerFile = ledger(step, ctx);
        for (Path dir : r.dirs()) {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(dir.startsWith(data) ? "rwx------"
                        : "rwxr-xr-x"));
                PgDirectSteps.chown(dir, owner);
                if (!dir.startsWith(data)) {
                    ledger.add(new String[] {dir.toString(), ""});
                }
            }
        }
        List<String> safety = new ArrayList<>();
        for (PgConfigCarry.Out o : r.files()) {
            boolean outside = !o.path().startsWith(data);
            if (outside) {
                String kept = keep(o.path(), p.runId());
                ledger.add(new String[] {o.path().toString(), kept == null ? "" : kept});
                Files.writeString(ledgerFile, PgRestoreSteps.json(ledger));
                if (kept != null) {
                    safety.add(kept);
                }
            }
            Files.createDirectories(o.path().getParent());
            Files.writeString(o.path(), o.after(), StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(o.path(), PosixFilePermissions.fromString(!outside ? "rw-------"
                    : o.restricted() ? "rw-r-----" : "rw-r--r--"));
            PgDirectSteps.chown(o.path(), owner);
        }
        Files.writeString(ledgerFile, PgRestoreSteps.json(ledger));
        ctx.log("Configuration carried from " + r.source() + " into " + facts.configDir()
                + (r.notes().isEmpty() ? " as it was." : ", adapted: " + String.join("; ", r.notes())));
        ctx.report("configuration", facts.configDir() + " (from " + r.source() + ")");
        if (!safety.isEmpty()) {
            ctx.report("configurationBefore", safety);
        }
    }

    /** The existing file copied beside itself (mode and owner kept); null when there is none. */
    private static String keep(Path file, String runId) throws IOException {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        Path kept = file.resolveSibling(file.getFileName() + ".before-dbrescue-" + runId);
        if (!Files.exists(kept, LinkOption.NOFOLLOW_LINKS)) { // a resumed run: the first copy is the original
            Files.copy(file, kept, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        }
        return kept.toString();
    }

    @Override
    public void undo(PgConfig params, Step step, StepContext ctx) throws Exception {
        Path ledgerFile = ledger(step, ctx);
        if (!Files.exists(ledgerFile)) {
            return;
        }
        List<List<String>> entries = PgRestoreSteps.JSON.readValue(ledgerFile.toFile(),
                new TypeReference<List<List<String>>>() { });
        for (int i = entries.size() - 1; i >= 0; i--) {
            Path p = Path.of(entries.get(i).get(0));
            String kept = entries.get(i).get(1);
            if (!kept.isEmpty() && Files.exists(Path.of(kept), LinkOption.NOFOLLOW_LINKS)) {
                Files.move(Path.of(kept), p, StandardCopyOption.REPLACE_EXISTING);
            } else if (kept.isEmpty() && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                try (var s = Files.list(p)) {
                    if (s.findAny().isEmpty()) {
                        Files.delete(p);
                    }
                }
            } else if (kept.isEmpty()) {
                Files.deleteIfExists(p);
            }
        }
        Files.delete(ledgerFile);
        LOG.info("configuration of step {} put back", step.id());
    }

    private static Path ledger(Step step, StepContext ctx) {
        return ctx.runDir().resolve("pg-config-" + step.id() + ".json");
    }
}
