package io.dbrescue.postgres;

import io.dbrescue.run.RunResult;
import io.dbrescue.testing.Cmd;
import io.dbrescue.testing.Jar;
import io.dbrescue.testing.PgCluster;
import io.dbrescue.testing.TestUser;
import io.dbrescue.testing.Trees;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.dbrescue.postgres.ServiceRuns.both;
import static io.dbrescue.postgres.ServiceRuns.dbrescue;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A direct restore whose own verification cannot log in is not a success: a PostgreSQL 15 data directory whose
 * pg_hba.conf asks every login for a password (scram-sha-256, local and TCP) while its superuser postgres has
 * none, restored as root into Debian's 15 with no password at hand. The data goes into place and the server
 * starts, but the rows cannot be counted: the pre-flight warns, the summary says NOT verified and the exit code
 * is 5, not 0.
 */
class PgDirectUnverifiedIT {
    static final String SELECT = "var/lib/postgresql/15/main";
    static Path work;
    static Path backup;
    static Path targetData;
    static Map<String, String> before;

    @BeforeAll
    static void fixtures() throws Exception {
        work = TestUser.newDir("pg-unverified");
        backup = work.resolve("backup");
        Path data = backup.resolve(SELECT);
        Files.createDirectories(data.getParent());
        TestUser.chown(work);
        try (PgCluster c = PgCluster.init(15, data).start()) {
            c.psql("postgres", "CREATE DATABASE crm");
            c.psql("crm", "CREATE TABLE contacts AS SELECT g AS id, 'name ' || g AS name FROM generate_series(1, 300) g");
        }
        Files.writeString(data.resolve("pg_hba.conf"), "local all all scram-sha-256\n"
                + "host all all 127.0.0.1/32 scram-sha-256\n");
        Cmd.run(List.of("chmod", "-R", "a+rX", backup.toString()));
        before = Trees.snapshot(backup);
        targetData = TestUser.newDir("pg-unverified-target").resolve("data");
    }

    @AfterAll
    static void cleanUp() {
        if (targetData != null && Files.exists(targetData.resolve("postmaster.pid"))) {
            Cmd.run(List.of("runuser", "-u", "postgres", "--", "/usr/lib/postgresql/15/bin/pg_ctl", "stop", "-w",
                    "-D", targetData.toString(), "-m", "immediate"));
        }
        TestUser.delete(work);
        if (targetData != null) {
            TestUser.delete(targetData.getParent());
        }
    }

    @Test
    void restoredButNotVerifiedIsSaidAndIsNotExitZero() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Jar.Run r = dbrescue(ServiceRuns.home(), "recover", backup.toString(), "--select", SELECT, "--target-data",
                targetData.toString(), "--target-port", Integer.toString(port), "--yes");
        assertThat(r.exitCode()).as(both(r)).isEqualTo(RunResult.NOT_VERIFIED);
        assertThat(r.stdout()).contains("[warn] verify-login").contains("RESTORED")
                .contains("Restored, but NOT verified").contains("could not log in as postgres");
        // the data is in place and its server runs
        assertThat(targetData.resolve("PG_VERSION")).hasContent("15\n");
        long pid = Long.parseLong(Files.readAllLines(targetData.resolve("postmaster.pid")).get(0).strip());
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);
        assertThat(Trees.snapshot(backup)).as("the backup is unchanged").isEqualTo(before);
    }
}
