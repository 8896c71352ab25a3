package io.dbrescue.postgres.restore;

import io.dbrescue.plan.Step;
import io.dbrescue.run.StepContext;
import io.dbrescue.run.TestContexts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pg-config step into a Debian-style target (its configuration in etc/postgresql/15/main, apart from the
 * data): the target's own files are kept beside as safety copies and put back by undo; the files it did not have
 * are removed again; the data directory gets its carried auto.conf.
 */
class PgConfigStepTest {
    @TempDir
    Path tmp;

    @Test
    void writesIntoAnEtcFolderWithSafetyCopiesAndPutsThemBack() throws Exception {
        Path backup = tmp.resolve("backup");
        Path oldEtc = backup.resolve("etc/postgresql/15/main");
        Path oldData = backup.resolve("var/lib/postgresql/15/main");
        Files.createDirectories(oldEtc.resolve("conf.d"));
        Files.createDirectories(oldData);
        Files.writeString(oldEtc.resolve("postgresql.conf"), "data_directory = '/var/lib/postgresql/15/main'\n"
                + "hba_file = '/etc/postgresql/15/main/pg_hba.conf'\nport = 5432\ninclude_dir = 'conf.d'\n");
        Files.writeString(oldEtc.resolve("conf.d/tuning.conf"), "work_mem = '12MB'\n");
        Files.writeString(oldEtc.resolve("pg_hba.conf"), "local all all peer\n");
        Files.writeString(oldData.resolve("postgresql.auto.conf"), "statement_timeout = '42s'\n");
        Path etc = tmp.resolve("etc/postgresql/15/main");
        Path data = tmp.resolve("var/lib/postgresql/15/main");
        Files.createDirectories(etc);
        Files.createDirectories(data);
        Files.writeString(etc.resolve("postgresql.conf"), "# the new system's\nport = 5433\n");
        Files.writeString(etc.resolve("pg_hba.conf"), "# the new system's rules\n");
        PgConfigCarry.Facts facts = new PgConfigCarry.Facts(oldData.toString(), oldEtc.resolve("postgresql.conf").toString(),
                backup.toString(), "/var/lib/postgresql/15/main", "15", "15", etc.toString(), data.toString(), 5433,
                "/tmp", System.getProperty("user.name"), System.getProperty("user.name"), Map.of(), etc.toString());
        Step step = new Step("1.4", "g", "pg-config", "t", List.of(), "", "", 0, false, "",
                Map.of("facts", PgRestoreSteps.json(facts), "runId", "RUN"));
        Path runDir = Files.createDirectories(tmp.resolve("run"));
        StepContext ctx = TestContexts.inFolder(runDir);

        new PgConfigStep().run(step, ctx);
        assertThat(Files.readString(etc.resolve("postgresql.conf"))).contains("port = 5433\t# dbrescue")
                .contains("data_directory = '" + data + "'").contains("include_dir = 'conf.d'");
        assertThat(Files.readString(etc.resolve("conf.d/tuning.conf"))).isEqualTo("work_mem = '12MB'\n");
        assertThat(Files.readString(etc.resolve("pg_hba.conf"))).isEqualTo("local all all peer\n");
        assertThat(Files.readString(data.resolve("postgresql.auto.conf"))).contains("statement_timeout = '42s'");
        assertThat(Files.readString(etc.resolve("postgresql.conf.before-dbrescue-RUN"))).isEqualTo("# the new system's\nport = 5433\n");
        assertThat(etc.resolve("pg_ident.conf")).exists();

        new PgConfigStep().undo(step, ctx);
        assertThat(Files.readString(etc.resolve("postgresql.conf"))).isEqualTo("# the new system's\nport = 5433\n");
        assertThat(Files.readString(etc.resolve("pg_hba.conf"))).isEqualTo("# the new system's rules\n");
        assertThat(etc.resolve("pg_ident.conf")).doesNotExist();
        assertThat(etc.resolve("conf.d")).doesNotExist();
        assertThat(etc.resolve("postgresql.conf.before-dbrescue-RUN")).doesNotExist();
    }
}
