package io.dbrescue.gui;

import io.dbrescue.machine.InstalledServer;
import io.dbrescue.machine.Target;
import io.dbrescue.scan.Engine;
import io.dbrescue.testing.MariaDb;
import io.dbrescue.testing.TestUser;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The MariaDB card says the server that answers — the one the databases go into — not the installed programs'
 * version: a real MariaDB 11.4 answering where discovery found Debian's 10.11 installed (the PostgreSQL card, too,
 * asks the server that runs).
 */
class TargetCardsAnsweringTest {
    @Test
    void theMariaDbCardNamesTheServerThatAnswers() {
        Path base = TestUser.newDir("card");
        MariaDb.v114(base.resolve("data")).install();
        try (MariaDb server = MariaDb.v114(base.resolve("data")).socket(base.resolve("s.sock")).tcp().start()) {
            Target t = new Target(List.of(new InstalledServer(Engine.MARIADB, "10.11.6", Path.of("/usr/sbin"),
                    List.of(new InstalledServer.Cluster(Path.of("/var/lib/mysql"), server.port(), true, "mysql")))),
                    null, false);
            List<String> lines = TargetCards.describe(ServerCard.MYSQL, t);
            assertThat(lines.get(0)).isEqualTo("MariaDB " + MariaDb.VERSION_114 + " answers on 127.0.0.1:"
                    + server.port() + ": the databases go into it.");
            assertThat(lines).contains("The installed server programs in /usr/sbin are MariaDB 10.11.6.");
            assertThat(String.join("\n", lines)).doesNotContain("MariaDB 10.11.6, programs");
        } finally {
            TestUser.delete(base);
        }
    }
}
