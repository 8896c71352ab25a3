package io.dbrescue.gui;

import io.dbrescue.app.RescueService;
import io.dbrescue.history.History;
import io.dbrescue.plan.Destination;
import io.dbrescue.settings.Settings;
import io.dbrescue.testing.Cmd;
import io.dbrescue.testing.PgCluster;
import io.dbrescue.testing.TestUser;
import io.dbrescue.testing.Trees;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where a restored database is, told by the Summary and its report after real runs started from the wizard's view
 * models — and proven by opening it with the very command the Summary copies: a SQLite file in a "Restore into"
 * folder that did not exist yet (made as a folder, not as a file), and a pg_dump file restored into a running
 * PostgreSQL 15 server.
 */
class WizardWhereEnginesTest {
    static final Path DEBIAN_15 = Path.of("/usr/lib/postgresql/15/bin");
    @TempDir
    Path state;
    @TempDir
    Path backup;
    @TempDir
    Path out;

    @BeforeEach
    void stateHere() {
        System.setProperty("dbrescue.state.dir", state.toString());
    }

    @AfterEach
    void forget() {
        System.clearProperty("dbrescue.state.dir");
    }

    @Test
    void aRestoreIntoThatDoesNotExistIsMadeAsAFolderAndTheSummarySaysWhere(@TempDir Path restored) throws Exception {
        WizardViewModelTest.sqlite(backup.resolve("notes.db"));
        Map<String, String> before = Trees.snapshot(backup);
        Path into = restored.resolve("new/place");
        Wizard w = wizard(Settings.defaults(state.resolve("recovery.conf")));
        w.model.folder.set(backup.toString());
        walkTo(w, WizardStep.TARGET);
        w.model.form(ServerCard.FILES).folder.set(into.toString());
        walkTo(w, WizardStep.PREFLIGHT);
        assertThat(w.model.plan.get().replacements()).isEmpty();
        walkTo(w, WizardStep.SUMMARY);

        assertThat(w.model.result.get().exitCode()).as(w.run.log().toString()).isZero();
        assertThat(into).isDirectory();
        Path file = into.resolve("notes.db");
        Destination d = w.summary.destination("notes.db").orElseThrow();
        assertThat(d.where()).isEqualTo(file.toString());
        assertThat(d.folder()).isEqualTo(into.toString());
        assertThat(d.client()).containsExactly("sqlite3", file.toString());
        List<String> open = new ArrayList<>(d.client());
        open.add("SELECT count(*) FROM notes");
        assertThat(Cmd.run(open).strip()).isEqualTo("1");
        w.summary.exportMarkdown(out.resolve("r.md"));
        assertThat(Files.readString(out.resolve("r.md"))).contains("- Now at: " + file);
        assertThat(Trees.snapshot(backup)).isEqualTo(before);
    }

    @Test
    void aDumpRestoredIntoPostgresIsFoundAtTheServerPortAndDatabaseTheSummaryNames() throws Exception {
        Path work = TestUser.newDir("wizard-where-pg");
        try (PgCluster source = PgCluster.init(15, work.resolve("src")).start();
             PgCluster target = PgCluster.init(15, work.resolve("target")).start()) {
            source.psql("postgres", "CREATE DATABASE shop");
            source.psql("shop", "CREATE TABLE items AS SELECT g AS id FROM generate_series(1, 2500) g");
            Path dumps = backup.resolve("home/alice/dumps");
            Files.createDirectories(dumps);
            Cmd.run(List.of("chmod", "a+rwx", dumps.toString(), backup.resolve("home/alice").toString(),
                    backup.resolve("home").toString(), backup.toString()));
            Cmd.run(Cmd.asTestUser(List.of(DEBIAN_15.resolve("pg_dump").toString(), "-h", "127.0.0.1", "-p",
                    Integer.toString(source.port()), "-U", "postgres", "-d", "shop", "-Fc", "-f",
                    dumps.resolve("shop.dump").toString())));
            Map<String, String> before = Trees.snapshot(backup);
            Wizard w = wizard(Settings.defaults(state.resolve("recovery.conf")).withOverrides(Map.of(
                    "binaries.postgresql_15", DEBIAN_15.toString())));
            w.model.folder.set(backup.toString());
            walkTo(w, WizardStep.TARGET);
            ServerForm pg = w.model.form(ServerCard.POSTGRESQL);
            pg.host.set("127.0.0.1");
            pg.port.set(Integer.toString(target.port()));
            pg.user.set("postgres");
            walkTo(w, WizardStep.SUMMARY);

            assertThat(w.model.result.get().exitCode()).as(w.run.log().toString()).isZero();
            String port = Integer.toString(target.port());
            Destination d = w.summary.destination("home/alice/dumps/shop.dump").orElseThrow();
            assertThat(d.where()).isEqualTo("PostgreSQL on 127.0.0.1:" + port + ", database shop");
            assertThat(d.folder()).isNull();
            assertThat(d.client()).containsExactly("psql", "-h", "127.0.0.1", "-p", port, "-U", "postgres", "-d", "shop");
            assertThat(d.clientName()).isEqualTo("psql");
            // the copied command opens the restored database
            List<String> psql = new ArrayList<>(d.client());
            psql.set(0, DEBIAN_15.resolve("psql").toString());
            psql.addAll(List.of("-At", "-c", "SELECT count(*) FROM items"));
            assertThat(Cmd.run(Cmd.asTestUser(psql)).strip()).isEqualTo("2500");
            w.summary.exportMarkdown(out.resolve("r.md"));
            assertThat(Files.readString(out.resolve("r.md")))
                    .contains("- Now at: PostgreSQL on 127.0.0.1:" + port + ", database shop")
                    .contains("- Open it with: `psql -h 127.0.0.1 -p " + port + " -U postgres -d shop`");
            assertThat(w.summary.exported().get()).isEqualTo("Report saved to " + out.resolve("r.md"));
            assertThat(Trees.snapshot(backup)).isEqualTo(before);
        } finally {
            TestUser.delete(work);
        }
    }

    private Wizard wizard(Settings settings) {
        RescueService rescue = new RescueService(settings, new History(state.resolve("history.jsonl")), notice -> { });
        return new Wizard(new EngineRecoveryService(rescue), new DirectJobs(), (title, text, yes) -> true, () -> { },
                List.of());
    }

    private static void walkTo(Wizard w, WizardStep step) {
        while (w.navigation.current().get() != step) {
            assertThat(w.navigation.nextBlocked().get()).as("blocked at " + w.navigation.current().get()).isEmpty();
            w.navigation.next();
        }
    }
}
