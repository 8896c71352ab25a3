package io.dbrescue.postgres.restore;

import io.dbrescue.scan.Engine;
import io.dbrescue.scan.Finding;
import io.dbrescue.scan.Kind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which client a dump needs, and what the user is told when none here is new enough. */
class PgDumpClientTest {
    @Test
    void aDumpTooNewForTheClientHereNeedsTheClientOfItsVersion() {
        Finding f = new Finding(Engine.POSTGRESQL, Kind.DUMP).path("d.dump").format("custom").version("17.2")
                .detail("archiveVersion", "1.16").detail("pgDumpVersion", "17.2").detail("pgRestoreNeeded", "17");
        assertThat(PgDumpClient.neededMajor(f, "pg_restore")).isEqualTo(17);
        assertThat(PgDumpClient.neededMajor(f, "psql")).isZero();
    }

    @Test
    void whatWorksWhenNoNewEnoughPgRestoreIsHereIsNotAPackageDebian12Lacks() {
        String withoutPodman = PgDumpClient.newerClientFix(17, 18, false, "postgres:18");
        assertThat(withoutPodman).contains("sudo apt install podman").contains("pg_restore 18 from the image postgres:18")
                .contains("Debian 12 and Ubuntu 22.04 do not carry them").contains("apt.postgresql.org")
                .contains("--target-bin /usr/lib/postgresql/18/bin");
        assertThat(PgDumpClient.newerClientFix(17, 18, true, "postgres:18")).doesNotContain("apt install podman");
    }

}
