package io.dbrescue.testing;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The locally built images exist (or get built) and hold the programs of the versions the tests rely on. */
class TestImagesIT {

    @Test
    void oldServerImageRunsPostgres16AsAnyUser() {
        String image = TestImages.ensure(TestImages.POSTGRES_16);
        String out = Cmd.run(List.of("podman", "run", "--rm", "--network=none", "--user", "1234:1234", image,
                "postgres", "--version"));
        assertThat(out.trim()).startsWith("postgres (PostgreSQL) 16.");
    }

    @Test
    void newImageHasPostgres18ClientTools() {
        String image = TestImages.ensure(TestImages.POSTGRES_18);
        assertThat(TestImages.podman("run", "--rm", "--network=none", "--user", "1234:1234", image,
                "pg_dump", "--version").trim()).startsWith("pg_dump (PostgreSQL) 18.");
        String tools = TestImages.podman("run", "--rm", "--network=none", image, "sh", "-c",
                "for t in psql pg_dumpall pg_restore pg_upgrade initdb pg_ctl postgres; do $t --version; done");
        assertThat(tools.lines()).hasSize(7).allSatisfy(line -> assertThat(line).contains("(PostgreSQL) 18."));
    }

    @Test
    void podmanWorks() {
        assertThat(TestImages.podmanWorks()).isTrue();
        assertThat(TestImages.ensure(TestImages.POSTGRES_16)).isEqualTo("localhost/dbrescue-test/postgres:16");
    }
}
