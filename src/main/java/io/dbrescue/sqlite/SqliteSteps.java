package io.dbrescue.sqlite;

import io.dbrescue.plan.Destination;
import io.dbrescue.plan.Destinations;
import io.dbrescue.plan.Step;
import io.dbrescue.plan.StepParams;
import io.dbrescue.run.CopyTree;
import io.dbrescue.run.StepContext;
import io.dbrescue.run.StepExecutor;
import io.dbrescue.run.StepFailure;
import io.dbrescue.run.TypedStep;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The SQLite step kinds: verify (row counts of the copy against the backup's file) and remove. */
final class SqliteSteps {
    private SqliteSteps() {
    }

    static Map<String, StepExecutor> all() {
        return Map.of("sqlite-verify", new Verify());
    }

    /**
     * {@code sqlite-verify}: the row counts of target (the copy) against source (the backup's file) with its
     * companions (comma-separated suffixes such as "-wal", the text version 1 journals hold).
     */
    record SqliteVerify(Path source, Path target, String companions) implements StepParams, StepParams.Verifies {
        @Override
        public String kind() {
            return "sqlite-verify";
        }

        /** The copied file, opened with sqlite3. */
        @Override
        public Destination destination(Step step, String dataDirectory) {
            return new Destination(step.group(), target.toString(), Destinations.parent(target),
                    List.of("sqlite3", target.toString()), "sqlite3");
        }

        List<String> companionList() {
            return companions == null || companions.isEmpty() ? List.of() : List.of(companions.split(","));
        }
    }

    static final class Verify implements TypedStep<SqliteVerify> {
        @Override
        public void run(SqliteVerify p, Step step, StepContext ctx) throws Exception {
            Path source = p.source();
            Path target = p.target();
            List<String> companions = p.companionList();
            Map<String, Long> expected;
            if (companions.isEmpty() && !SqliteFiles.tooLong(source)) {
                expected = counts(source, SqliteFileDetector.IMMUTABLE, "the backup's file " + source);
            } else {
                // immutable=1 would ignore the -wal, and SQLite takes no path over 512 bytes: count a scratch copy
                Path scratch = Files.createTempDirectory(ctx.runDir(), "sqlite-source");
                try {
                    Path copy = scratch.resolve("source.db");
                    Files.copy(source, copy);
                    for (String c : companions) {
                        Files.copy(SqliteFiles.companion(source, c), scratch.resolve(copy.getFileName() + c));
                    }
                    expected = counts(copy, "mode=ro", "a scratch copy of the backup's file");
                } finally {
                    CopyTree.delete(scratch);
                }
            }
            Map<String, Long> actual = counts(target, "mode=ro", "the restored file " + target);
            ctx.report("rowCounts", actual);
            if (!actual.equals(expected)) {
                List<String> diff = new ArrayList<>();
                expected.forEach((t, n) -> {
                    if (!n.equals(actual.get(t))) {
                        diff.add(t + ": backup " + n + ", copy " + actual.get(t));
                    }
                });
                throw new StepFailure("verify", "The restored SQLite file does not hold the same rows as the backup's: "
                        + String.join("; ", diff) + ".", "The copy was rolled back; run again, and check the disk.");
            }
            ctx.log("Verified " + actual.size() + " table(s), " + actual.values().stream().mapToLong(Long::longValue).sum()
                    + " rows.");
        }
    }

    static Map<String, Long> counts(Path db, String query, String what) throws StepFailure {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Connection c = SqliteFiles.open(db, query); Statement st = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' "
                    + "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String t : tables) {
                try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM \"" + t.replace("\"", "\"\"") + "\"")) {
                    rs.next();
                    counts.put(t, rs.getLong(1));
                }
            }
        } catch (SQLException e) {
            throw new StepFailure("damaged", "SQLite cannot read " + what + ": " + SqliteFileDetector.reason(e) + ".",
                    "The file is damaged or not fully copied; look for another copy (sqlite3's .recover may salvage part).");
        }
        return counts;
    }
}
