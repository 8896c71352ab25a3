package io.dbrescue.container;

import io.dbrescue.plan.Containers;
import io.dbrescue.scan.Engine;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The podman run command lines dbrescue builds, and the image templates (no Podman needed). */
class ContainerRunTest {
    @Test
    void aServerIsLabelledPublishedOnLoopbackOnlyAndRunsAnExplicitProgram() {
        List<String> argv = ContainerRun.of("docker.io/library/postgres:16", "RUN1").server("dbrescue-RUN1-pg16-1")
                .user(105, 110).publish(40001, 5432).mount("/copy", "/var/lib/postgresql/data").stopSignal("SIGINT")
                .command(List.of("postgres", "-D", "/var/lib/postgresql/data")).argv();
        String line = String.join(" ", argv);
        assertThat(argv.get(1)).isEqualTo("run");
        assertThat(line).contains("-d --name dbrescue-RUN1-pg16-1")
                .contains("--pull=never")
                .contains("--label io.dbrescue.run=RUN1")
                .contains("--user 105:110")
                .contains("-p 127.0.0.1:40001:5432")
                .contains("-v /copy:/var/lib/postgresql/data")
                .contains("--stop-signal=SIGINT")
                .endsWith("--entrypoint postgres docker.io/library/postgres:16 -D /var/lib/postgresql/data");
        assertThat(line).doesNotContain("--rm").doesNotContain("0.0.0.0");
    }

    @Test
    void aFolderWithColonsCommasQuotesOrLineBreaksIsMountedAsOneCsvField() {
        List<String> argv = ContainerRun.of("img:16", "R").mount("/media/alex/My Passport/a:b,c \"d\" $x\ny", "/w")
                .command(List.of("true")).argv();
        assertThat(argv).doesNotContain("-v");
        assertThat(argv.get(argv.indexOf("--mount") + 1))
                .isEqualTo("type=bind,\"src=/media/alex/My Passport/a:b,c \"\"d\"\" $x\ny\",\"dst=/w\"");
    }

    @Test
    void aClientRunIsRemovedAfterwardsAndGetsPasswordsByNameOnly() {
        List<String> argv = ContainerRun.of("img:18", "R").hostNetwork().env("PGPASSWORD")
                .command(List.of("pg_dump", "-Fd")).argv();
        assertThat(argv).contains("--rm", "--network=host");
        assertThat(argv.get(argv.indexOf("-e") + 1)).isEqualTo("PGPASSWORD"); // the name; Podman reads the value
        assertThat(String.join(" ", argv)).doesNotContain("PGPASSWORD=");
    }

    @Test
    void imageTemplatesAreFilledPerEngineAndVersion() {
        Containers c = new Containers(Map.of(Engine.POSTGRESQL, "registry.example/pg:{major}-{version}"),
                "local/pgup:{old}-to-{new}", Containers.UpgradeMethod.AUTO);
        assertThat(c.image(Engine.POSTGRESQL, "16", "16.4")).isEqualTo("registry.example/pg:16-16.4");
        assertThat(c.image(Engine.MARIADB, "10.11", null)).isEqualTo("docker.io/library/mariadb:10.11");
        assertThat(c.upgradeImage("15", "18")).isEqualTo("local/pgup:15-to-18");
        assertThat(Containers.DEFAULTS.upgradeImage("15", "18")).isNull();
    }

    @Test
    void upgradeMethodsParseAndRefuseNonsense() {
        assertThat(Containers.UpgradeMethod.parse("pg_upgrade")).isEqualTo(Containers.UpgradeMethod.PG_UPGRADE);
        assertThat(Containers.UpgradeMethod.parse(" Dump ")).isEqualTo(Containers.UpgradeMethod.DUMP);
        assertThatThrownBy(() -> Containers.UpgradeMethod.parse("rsync")).hasMessageContaining("auto, dump, pg-upgrade or in-place");
    }
}
