package io.dbrescue.postgres.restore;

import io.dbrescue.run.Secrets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A desktop user (not root) cannot read the server's lock file (Debian makes it 0600, the postgres user's), only
 * see its socket: dbrescue still logs in through that socket by peer as the user, before TCP as postgres (which
 * Debian's scram rule refuses without a password). Seen in the installed window as a desktop user: only TCP was
 * tried, and the pre-flight said "refused the login of user 'postgres'".
 */
class PgDesktopLoginTest {
    @TempDir
    Path run;

    @Test
    void aDesktopUserLogsInThroughTheSocketItSees() throws Exception {
        Files.createFile(run.resolve(".s.PGSQL.5999")); // the socket; no lock file the user may read
        Secrets none = Secrets.NONE;
        List<PgRestoreTarget> ways = PgLogin.candidates(null, "localhost", 5999, null, none, false, List.of(run));
        assertThat(ways).hasSize(2);
        PgRestoreTarget socket = ways.stream().filter(PgRestoreTarget::socket).findFirst().orElseThrow();
        assertThat(socket.socketDir()).isEqualTo(run.toString());
        assertThat(socket.user()).isEqualTo(System.getProperty("user.name"));
        assertThat(socket.osUser()).isNull(); // no relay: the user's own peer login
        assertThat(ways).filteredOn(w -> !w.socket()).singleElement()
                .satisfies(tcp -> assertThat(tcp.user()).isEqualTo("postgres"));
        // no socket there (another machine's port, or none): TCP only
        assertThat(PgLogin.candidates(null, "localhost", 5998, null, none, false, List.of(run))).hasSize(1);
        assertThat(PgLogin.candidates("db.example", "localhost", 5999, null, none, false, List.of(run))).hasSize(1);
    }
}
