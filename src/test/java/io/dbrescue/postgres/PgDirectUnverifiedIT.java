package io.dbrescue.postgres;

import io.dbrescue.testing.FreePorts;
import io.dbrescue.run.OsUsers;
import io.dbrescue.run.RunResult;
import io.dbrescue.testing.Cmd;
import io.dbrescue.testing.Jar;
import io.dbrescue.testing.PgCluster;
import io.dbrescue.testing.TestUser;
import io.dbrescue.testing.Trees;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.dbrescue.postgres.ServiceRuns.both;
import static io.dbrescue.postgres.ServiceRuns.dbrescue;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A direct restore's verification login is judged against the rules the restored cluster will have — the old
 * pg_hba.conf carried, with the server's OS user's peer line added where it was missing — not against the backup's
 * file as it was. The old cluster's pg_hba.conf asks every login for a password (scram-sha-256, local and TCP) and its
 * superuser postgres has none; it is restored as root into Debian's 15 with no password at hand:
 * <ul>
 * <li>without --target-user the carried rules let the OS user postgres in by peer: the pre-flight says so (no
 * warning) and the run is verified, exit 0;</li>
 * <li>with --target-user crm_app — a role of the old cluster with a password, no OS user of that name here, no
 * password given — the carried rules let that login in no way dbrescue has: the data goes into place and the server
 * starts, but the rows cannot be counted: the pre-flight warns, the summary says NOT verified and the exit code is 5,
 * not 0.</li>
 * </ul>
 */
class PgDirectUnverifiedIT {
    static final String SELECT = "var/lib/postgresql/15/main";
    static final String STRICT_HBA = "local all all scram-sha-256\nhost all all 127.0.0.1/32 scram-sha-256\n";
    static Path work;
    static Path backup;
    static Map<String, String> before;
    static final List<Path> targets = new ArrayList<>();

    @BeforeAll
    static void fixtures() throws Exception {
        work = TestUser.newDir("pg-unverified");
        backup = work.resolve("backup");
        Path data = backup.resolve(SELECT);
        Files.createDirectories(data.getParent());
        TestUser.chown(work);
        try (PgCluster c = PgCluster.init(15, data).start()) {
            c.psql("postgres", "CREATE ROLE crm_app LOGIN PASSWORD 'crm-secret'");
            c.psql("postgres", "CREATE DATABASE crm OWNER crm_app");
            c.psql("crm", "CREATE TABLE contacts AS SELECT g AS id, 'name ' || g AS name FROM generate_series(1, 300) g");
            c.psql("crm", "ALTER TABLE contacts OWNER TO crm_app");
        }
        Files.writeString(data.resolve("pg_hba.conf"), STRICT_HBA);
        Cmd.run(List.of("chmod", "-R", "a+rX", backup.toString()));
        before = Trees.snapshot(backup);
    }

    @AfterAll
    static void cleanUp() {
        for (Path targetData : targets) {
            if (Files.exists(targetData.resolve("postmaster.pid"))) {
                Cmd.run(List.of("runuser", "-u", "postgres", "--", "/usr/lib/postgresql/15/bin/pg_ctl", "stop", "-w",
                        "-D", targetData.toString(), "-m", "immediate"));
            }
            TestUser.delete(targetData.getParent());
        }
        TestUser.delete(work);
    }

    private static Path newTarget() {
        Path data = TestUser.newDir("pg-unverified-target").resolve("data");
        targets.add(data);
        return data;
    }

    @Test
    void restoredButNotVerifiedIsSaidAndIsNotExitZero() throws Exception {
        assertThat(OsUsers.lookup("crm_app")).as("this test needs no OS user crm_app on the machine").isNull();
        Path targetData = newTarget();
        Jar.Run r = dbrescue(ServiceRuns.home(), "recover", backup.toString(), "--select", SELECT, "--target-data",
                targetData.toString(), "--target-port", Integer.toString(FreePorts.next()), "--target-user", "crm_app", "--yes");
        assertThat(r.exitCode()).as(both(r)).isEqualTo(RunResult.NOT_VERIFIED);
        assertThat(r.stdout()).contains("[warn] verify-login: The verification logs in to the restored cluster as "
                        + "crm_app, and the rules it will have let that in no way dbrescue has: there is no OS user crm_app "
                        + "to log in as by peer; the carried pg_hba.conf (" + targetData.resolve("pg_hba.conf")
                        + ") asks crm_app for 'scram-sha-256' and no password was given over TCP from 127.0.0.1")
                .contains("RESTORED").contains("Restored, but NOT verified").contains("could not log in as crm_app");
        // the data is in place and its server runs, with the old rules and the owner's peer line first
        assertThat(targetData.resolve("PG_VERSION")).hasContent("15\n");
        long pid = Long.parseLong(Files.readAllLines(targetData.resolve("postmaster.pid")).get(0).strip());
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);
        assertThat(Files.readAllLines(targetData.resolve("pg_hba.conf")).stream().filter(l -> !l.startsWith("#"))
                .map(l -> l.replaceAll("\\s+", " ")).toList()).containsExactly("local all postgres peer",
                "local all all scram-sha-256", "host all all 127.0.0.1/32 scram-sha-256");
        assertThat(Trees.snapshot(backup)).as("the backup is unchanged").isEqualTo(before);
    }

    @Test
    void withoutATargetUserTheCarriedOwnerLineLetsTheVerificationInByPeer() throws Exception {
        Path targetData = newTarget();
        Jar.Run r = dbrescue(ServiceRuns.home(), "recover", backup.toString(), "--select", SELECT, "--target-data",
                targetData.toString(), "--target-port", Integer.toString(FreePorts.next()), "--yes");
        assertThat(r.exitCode()).as(both(r)).isEqualTo(RunResult.OK);
        // proven against the carried rules, not the backup's scram-only file: no warning that would not come true
        assertThat(r.stdout()).doesNotContain("[warn] verify-login").contains("[pass] verify-login: The verification "
                + "logs in to the restored cluster as postgres through the socket").contains("the carried pg_hba.conf ("
                + targetData.resolve("pg_hba.conf") + ") lets postgres in by peer as the OS user postgres")
                .doesNotContain("NOT verified");
        assertThat(Trees.snapshot(backup)).as("the backup is unchanged").isEqualTo(before);
    }
}
