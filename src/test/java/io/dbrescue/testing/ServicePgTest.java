package io.dbrescue.testing;

import org.junit.jupiter.api.Test;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fixture is what a distribution makes: peer for the postgres OS user, no password over TCP, a real locale. */
class ServicePgTest {
    @Test
    void aServiceLikeDebiansLetsOnlyThePostgresOsUserIn() {
        try (ServicePg pg = ServicePg.init(18, Locales.DE_DE).start()) {
            assertThat(pg.psql("postgres", "SELECT current_user || ' ' || datcollate FROM pg_database WHERE datname = 'postgres'"))
                    .isEqualTo("postgres de_DE.UTF-8");
            assertThat(pg.psql("postgres", "SELECT rolpassword IS NULL FROM pg_authid WHERE rolname = 'postgres'")).isEqualTo("t");
            assertThat(java.nio.file.Files.exists(ServicePg.SOCKET_DIR.resolve(".s.PGSQL." + pg.port()))).isTrue();
            Properties p = new Properties();
            p.setProperty("user", "postgres");
            assertThatThrownBy(() -> DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pg.port() + "/postgres", p))
                    .isInstanceOf(SQLException.class).hasMessageContaining("password");
        }
    }
}
