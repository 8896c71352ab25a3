package io.dbrescue.plan;

import io.dbrescue.run.Journal;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What each engine's replacing steps read as (steps written as the planners write them): a data directory moved
 * aside, a file removed with safety copies off, a PostgreSQL or MariaDB database dropped after its safety dump,
 * a Debian configuration kept beside; steps that only clean up the run's own folders are no replacements.
 */
class ReplacementsTest {
    private static Step step(String id, String group, String kind, String title, String writes, String undo,
                             Map<String, String> params) {
        return new Step(id, group, kind, title, List.of(), "", writes, 0, false, undo, params);
    }

    @Test
    void eachReplacingStepSaysWhatAndWhereItsSafetyCopyGoes() {
        List<Decision> decisions = List.of(
                new Decision("var/lib/postgresql/15/main", io.dbrescue.scan.Engine.POSTGRESQL, "data-directory", "15",
                        Strategy.DIRECT, "same major", List.of()),
                new Decision("dumps/shop.dump", io.dbrescue.scan.Engine.POSTGRESQL, "dump", "15", Strategy.DUMP_RESTORE,
                        "a dump", List.of()));
        List<Step> steps = List.of(
                step("1.1", "var/lib/postgresql/15/main", "move-aside", "Move the existing data directory aside",
                        "/var/lib/postgresql/15/main.before", "move it back",
                        Map.of("path", "/var/lib/postgresql/15/main", "safety", "/var/lib/postgresql/15/main.before")),
                step("1.2", "var/lib/postgresql/15/main", "pg-config", "Carry the configuration",
                        "postgresql.conf, pg_hba.conf in /etc/postgresql/15/main (the existing ones kept beside them as "
                                + "NAME.before-dbrescue-R)", "put them back", Map.of("runId", "R")),
                step("1.3", "var/lib/postgresql/15/main", "remove", "Delete the working folder", "deletes /w", "",
                        Map.of("path", "/w")),
                step("2.1", "dumps/shop.dump", "pg-drop-db", "Safety dump of the existing shop, then drop it",
                        "the run folder", "restore shop from the safety dump",
                        Map.of("database", "shop", "host", "127.0.0.1", "port", "5432")),
                step("2.2", "dumps/shop.dump", "mysql-safety-dump", "Safety dump of the existing database blog",
                        "the run folder", "nothing", Map.of("database", "blog", "file", "safety-blog-1.sql",
                                "host", "/run/mysqld/mysqld.sock", "port", "3306")),
                step("2.3", "dumps/shop.dump", "remove", "Remove the existing notes.db", "/x/notes.db",
                        "cannot be undone (no safety copy)", Map.of("path", "/x/notes.db")));
        Plan plan = new Plan("R", "now", null, decisions, List.of(), steps);
        Path run = Journal.runsDir().resolve("R");

        assertThat(plan.replacements()).containsExactly(
                new Replacement("var/lib/postgresql/15/main", "data directory", "/var/lib/postgresql/15/main",
                        "/var/lib/postgresql/15/main.before"),
                new Replacement("var/lib/postgresql/15/main", "configuration files",
                        "postgresql.conf, pg_hba.conf in /etc/postgresql/15/main",
                        "beside them, named NAME.before-dbrescue-R"),
                new Replacement("dumps/shop.dump", "database", "shop on 127.0.0.1:5432",
                        run.resolve("shop-before-replace.dump").toString()),
                new Replacement("dumps/shop.dump", "database", "blog on localhost:3306",
                        run.resolve("safety-blog-1.sql").toString()),
                new Replacement("dumps/shop.dump", "file", "/x/notes.db", null));
        assertThat(plan.replacements().get(4).sentence()).contains("WITHOUT a safety copy");
    }
}
