package io.dbrescue.postgres.restore;

import io.dbrescue.run.StepFailure;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The causes of a failed start, from the lines PostgreSQL 15 writes for them (as seen in its logs). */
class PgStartFailureTest {
    static final Path DATA = Path.of("/var/lib/postgresql/15/main");

    private static StepFailure of(String fatal, String... before) {
        String tail = String.join("\n", before) + (before.length == 0 ? "" : "\n") + fatal;
        return PgStartFailure.of(DATA, "5433", fatal, tail);
    }

    @Test
    void aLocaleOfTheSettingsThatIsMissingNamesLocaledef() {
        StepFailure f = of("2026-12-03 10:00:00.000 UTC [7] FATAL:  configuration file \"/x/postgresql.conf\" contains errors",
                "2026-12-03 10:00:00.000 UTC [7] LOG:  invalid value for parameter \"lc_monetary\": \"de_DE.utf8\"");
        assertThat(f.kind()).isEqualTo("locale-missing");
        assertThat(f.getMessage()).contains("would not start on " + DATA).contains("FATAL:  configuration file")
                .contains("lc_monetary");
        assertThat(f.fix()).contains("sudo localedef -i de_DE -f UTF-8 de_DE.utf8").contains("set lc_monetary in postgresql.conf");
    }

    @Test
    void aDatabaseWhoseLocaleIsMissingSaysSoOnConnect() {
        String fix = PgStartFailure.localeFix("FATAL: database locale is incompatible with operating system\n"
                + "  Detail: The database was initialized with LC_COLLATE \"en_US.UTF-8\",  which is not recognized by "
                + "setlocale().\n  Hint: Recreate the database with another locale or install the missing locale.");
        assertThat(fix).contains("LC_COLLATE 'en_US.UTF-8'").contains("localedef -i en_US -f UTF-8 en_US.UTF-8");
        assertThat(PgStartFailure.localeFix("FATAL: password authentication failed for user \"x\"")).isNull();
    }

    @Test
    void theEarlierCausesKeepTheirKinds() {
        assertThat(of("FATAL:  could not create any TCP/IP sockets",
                "LOG:  could not bind IPv4 address \"127.0.0.1\": Address already in use").kind()).isEqualTo("port-in-use");
        assertThat(of("FATAL:  database files are incompatible with server").kind()).isEqualTo("version-mismatch");
        assertThat(of("FATAL:  could not open file \"global/pg_filenode.map\": Permission denied").kind())
                .isEqualTo("permission");
        assertThat(of("PANIC:  could not write to file \"pg_wal/xlogtemp.12\": No space left on device").kind())
                .isEqualTo("disk-full");
    }

    @Test
    void badSettingsAndMissingLibrariesNameTheirFix() {
        StepFailure conf = of("FATAL:  configuration file \"/d/postgresql.conf\" contains errors",
                "LOG:  unrecognized configuration parameter \"wal_keep_segments\" in file \"/d/postgresql.conf\" line 3");
        assertThat(conf.kind()).isEqualTo("bad-config");
        assertThat(conf.getMessage()).contains("wal_keep_segments");
        StepFailure lib = of("FATAL:  could not access file \"timescaledb\": No such file or directory");
        assertThat(lib.kind()).isEqualTo("missing-library");
        assertThat(lib.fix()).contains("(timescaledb)").contains("shared_preload_libraries");
    }
}
