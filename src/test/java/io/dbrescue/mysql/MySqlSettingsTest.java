package io.dbrescue.mysql;

import io.dbrescue.scan.Engine;
import io.dbrescue.scan.Finding;
import io.dbrescue.scan.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The old server's settings from a backup of a Debian system: this machine's own /etc/mysql (as Debian's
 * mariadb-server package installed it: my.cnf with !includedir /etc/mysql/conf.d/ and mariadb.conf.d/, read under
 * the backup, not under this machine's /) plus a file of the user's; the page size from the data itself. Also how
 * accounts are compared and which ones are the system's.
 */
class MySqlSettingsTest {
    @TempDir
    Path backup;

    Finding finding() throws Exception {
        Files.createDirectories(backup.resolve("var/lib/mysql"));
        return new Finding(Engine.MARIADB, Kind.DATA_DIRECTORY).path("var/lib/mysql").version("10.11.19")
                .detail("innodbPageSize", 65536);
    }

    @Test
    void debiansOwnFilesAndTheUsersFileUnderTheBackup() throws Exception {
        Finding f = finding();
        MariaDbService.copyEtc(backup);
        Files.writeString(backup.resolve("etc/mysql/mariadb.conf.d/60-app.cnf"), "[mariadb-10.11]\n"
                + "lower-case-table-names=1\n[mysqld]\nsql_mode = \"NO_ENGINE_SUBSTITUTION,ANSI_QUOTES\"  # the app's\n"
                + "innodb_page_size = 32k\n");
        MySqlSettings s = MySqlSettings.ofBackup(f, backup);
        assertThat(s.source()).isEqualTo("etc/mysql/my.cnf");
        assertThat(s.characterSet()).as("Debian's 50-server.cnf").isEqualTo("utf8mb4");
        assertThat(s.collation()).isEqualTo("utf8mb4_general_ci");
        assertThat(s.lowerCaseTableNames()).as("the [mariadb-10.11] section of a 10.11 server").isEqualTo(1);
        assertThat(s.sqlMode()).isEqualTo("NO_ENGINE_SUBSTITUTION,ANSI_QUOTES");
        assertThat(s.pageSize()).as("the data's own page size wins over the option file").isEqualTo(65536);
        assertThat(s.serverArgs()).contains("--innodb-page-size=65536", "--lower-case-table-names=1",
                "--sql-mode=NO_ENGINE_SUBSTITUTION,ANSI_QUOTES");
        assertThat(MySqlSettings.modes("ansi_quotes, NO_ENGINE_SUBSTITUTION"))
                .isEqualTo(MySqlSettings.modes(s.sqlMode()));
    }

    @Test
    void noOptionFilesMeansTheDefaults() throws Exception {
        MySqlSettings s = MySqlSettings.ofBackup(finding(), backup);
        assertThat(s.source()).isNull();
        assertThat(s.lctn()).isZero();
        assertThat(s.serverArgs()).containsExactly("--innodb-page-size=65536");
        assertThat(MySqlSettings.pageSize("64K")).isEqualTo(65536);
    }

    @Test
    void systemAccountsAreLeftAloneAndColumnListsCompareInAnyOrder() {
        assertThat(List.of("root@%", "mariadb.sys@localhost", "PUBLIC@", "mysql.session@localhost",
                "debian-sys-maint@localhost", "mysql@localhost", "@localhost"))
                .allMatch(a -> MySqlAccounts.system(a.substring(0, a.indexOf('@')), a.substring(a.indexOf('@') + 1)));
        assertThat(MySqlAccounts.system("app", "localhost")).isFalse();
        assertThat(MySqlAccounts.system("mysql", "%")).as("an application account named mysql").isFalse();
        assertThat(MySqlAccounts.normal("GRANT SELECT (`last_name`, `first_name`) ON `sakila`.`actor` TO `r`@`%`"))
                .isEqualTo(MySqlAccounts.normal("GRANT SELECT (`first_name`,  `last_name`) ON `sakila`.`actor` TO `r`@`%`"));
    }
}
