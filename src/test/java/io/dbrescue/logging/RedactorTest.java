package io.dbrescue.logging;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RedactorTest {
    private final Redactor r = new Redactor();

    @Test
    void registeredSecretsAreMaskedAnywhere() {
        r.addSecret("hunter2");
        assertThat(r.redact("login with hunter2 failed; hunter2!")).isEqualTo("login with ******** failed; ********!");
    }

    @Test
    void passwordShapedValuesAreMaskedWithoutRegistration() {
        assertThat(r.redact("host=127.0.0.1 port=5433 password=s3cr3t dbname=shop"))
                .isEqualTo("host=127.0.0.1 port=5433 password=******** dbname=shop");
        assertThat(r.redact("PGPASSWORD=abc MYSQL_PWD='x y' REDISCLI_AUTH=zz"))
                .isEqualTo("PGPASSWORD=******** MYSQL_PWD=******** REDISCLI_AUTH=********");
        assertThat(r.redact("postgresql://ann:pa55@localhost:5432/shop"))
                .isEqualTo("postgresql://ann:********@localhost:5432/shop");
        assertThat(r.redact("/work/postgresql:/ann:pw@db/shop")).isEqualTo("/work/postgresql:/ann:********@db/shop");
        assertThat(r.redact("{\"password\": \"pw\"}")).doesNotContain("pw\"").contains("********");
        assertThat(r.redact("FATAL: password authentication failed for user \"ann\""))
                .isEqualTo("FATAL: password authentication failed for user \"ann\"");
    }

    @Test
    void argumentListsMaskPasswordOptionsOfEachClient() {
        assertThat(r.redactArgv(List.of("/usr/bin/mysqldump", "-uroot", "-pSecret1", "shop")))
                .containsExactly("/usr/bin/mysqldump", "-uroot", "-p********", "shop");
        assertThat(r.redactArgv(List.of("psql", "-p5432", "-h", "127.0.0.1")))
                .containsExactly("psql", "-p5432", "-h", "127.0.0.1");
        assertThat(r.redactArgv(List.of("redis-cli", "-a", "pw", "PING"))).containsExactly("redis-cli", "-a", "********", "PING");
        assertThat(r.redactArgv(List.of("mongorestore", "-u", "ann", "-p", "pw", "--password=pw2")))
                .containsExactly("mongorestore", "-u", "ann", "-p", "********", "--password=********");
        assertThat(r.redactArgv(List.of("mariadb", "--password", "pw"))).containsExactly("mariadb", "--password", "********");
    }

    @Test
    void environmentEntriesWithSecretNamesAreMasked() {
        assertThat(r.redactEnv(Map.of("PGPASSWORD", "a", "MYSQL_PWD", "b", "REDISCLI_AUTH", "c", "PGPASSFILE", "/tmp/x",
                "PWD", "/home/ann", "LANG", "C.UTF-8")))
                .containsEntry("PGPASSWORD", Redactor.MASK).containsEntry("MYSQL_PWD", Redactor.MASK)
                .containsEntry("REDISCLI_AUTH", Redactor.MASK).containsEntry("PGPASSFILE", "/tmp/x")
                .containsEntry("PWD", "/home/ann").containsEntry("LANG", "C.UTF-8");
    }
}
