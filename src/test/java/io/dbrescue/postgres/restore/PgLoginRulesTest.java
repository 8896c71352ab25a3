package io.dbrescue.postgres.restore;

import io.dbrescue.run.Journal;
import io.dbrescue.run.RunResult;
import io.dbrescue.run.Secrets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rules around logins that need no server: what a pg_hba.conf lets in through the socket, how a client's
 * argv is pointed at the relay, the relay process ending with dbrescue, and a restore whose verification could
 * not run not counting as a success.
 */
class PgLoginRulesTest {
    @TempDir
    Path tmp;

    @Test
    void theFirstMatchingLineOfPgHbaDecides() {
        PgHba rules = PgHba.of("the rules", "# comment with local all all trust\nhost all all 127.0.0.1/32 scram-sha-256\n"
                + "local all postgres peer\nlocal sales,postgres app scram-sha-256\nlocal all all reject\n", "");
        assertThat(rules.local("postgres", "postgres", Secrets.NONE).in()).isTrue();
        assertThat(rules.local("postgres", "postgres", Secrets.NONE).said()).contains("lets postgres in by peer");
        assertThat(rules.local("postgres", "root", Secrets.NONE).in()).as("peer as another OS user").isFalse();
        assertThat(rules.local("app", "app", Secrets.NONE).in()).isFalse();
        assertThat(rules.local("app", "app", Secrets.NONE).said()).contains("'scram-sha-256' and no password was given");
        assertThat(rules.local("alice", "alice", Secrets.NONE).said()).contains("'reject'");
        assertThat(rules.loopback("postgres", Secrets.NONE).in()).as("scram without a password").isFalse();
        rules = PgHba.of("the rules", "host all all 127.0.0.1/32 trust\n", "");
        assertThat(rules.local("postgres", "postgres", Secrets.NONE).said()).contains("has no local line");
        assertThat(rules.loopback("postgres", Secrets.NONE).in()).isTrue();
        assertThat(PgHba.of("r", "host all all 127.0.0.1 255.255.255.255 trust\n", "").loopback("postgres", Secrets.NONE).in())
                .as("an address with a separate mask").isTrue();
        assertThat(PgHba.of("r", "local all +admins peer\nlocal all all peer\n", "").local("postgres", "postgres", Secrets.NONE).in())
                .as("a group cannot be judged here: no yes from a later line").isFalse();
    }

    @Test
    void aPeerLineWithAMapLetsInTheOsUsersItsLiteralLinesName() {
        String hba = "local all all peer map=admins\n";
        assertThat(PgHba.of("r", hba, "admins postgres alice\n").local("alice", "postgres", Secrets.NONE).in()).isTrue();
        assertThat(PgHba.of("r", hba, "admins postgres alice\n").local("alice", "alice", Secrets.NONE).in()).isFalse();
        assertThat(PgHba.of("r", hba, "admins /^(.*)$ \\1\n").local("alice", "alice", Secrets.NONE).in())
                .as("a regular expression is not followed").isFalse();
    }

    @Test
    void toolArgvIsUnchangedWithoutARelay() throws Exception {
        List<String> argv = List.of("pg_restore", "-h", "/var/run/postgresql", "-p", "5432");
        assertThat(new PgRestoreTarget("127.0.0.1", 5432, "postgres", Secrets.NONE).toolArgv(argv)).isEqualTo(argv);
        PgRestoreTarget asMyself = new PgRestoreTarget("127.0.0.1", 5432, "me", "/var/run/postgresql", null, Secrets.NONE);
        assertThat(asMyself.toolArgv(argv)).isEqualTo(argv);
        assertThat(asMyself.toolHost()).isEqualTo("/var/run/postgresql");
        assertThat(asMyself.where()).startsWith("me@/var/run/postgresql");
    }

    @Test
    void theRelayEndsWhenItsStdinClosesAndTakesItsFolderWithIt() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("dbrescue-peer-test"));
        Path classes = Path.of(PeerRelayMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                classes.toString(), PeerRelayMain.class.getName(), dir.resolve(".s.PGSQL.1").toString(),
                tmp.resolve("no-server/.s.PGSQL.1").toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).isEqualTo("ready");
        assertThat(dir.resolve(".s.PGSQL.1")).exists();
        p.getOutputStream().close(); // what dbrescue's end does to it
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(dir).doesNotExist();
    }

    @Test
    void aRestoreWhoseVerificationDidNotRunIsExitFiveNotZero() {
        RunResult.GroupResult unverified = new RunResult.GroupResult("a", Journal.Outcome.RESTORED, "Restored, but NOT "
                + "verified", null, null, Map.of(RunResult.NOT_VERIFIED_KEY, "could not log in"));
        RunResult.GroupResult fine = new RunResult.GroupResult("b", Journal.Outcome.RESTORED, "Restored.", null, null,
                Map.of());
        RunResult.GroupResult failed = new RunResult.GroupResult("c", Journal.Outcome.FAILED, "no", null, "x", Map.of());
        assertThat(new RunResult("r", List.of(fine), false, null).exitCode()).isEqualTo(RunResult.OK);
        assertThat(new RunResult("r", List.of(fine, unverified), false, null).exitCode()).isEqualTo(RunResult.NOT_VERIFIED);
        assertThat(new RunResult("r", List.of(unverified, failed), false, null).exitCode()).isEqualTo(RunResult.PARTIAL);
    }
}
