package io.dbrescue.postgres.restore;

import io.dbrescue.postgres.scan.SystemLibraries;

import io.dbrescue.scan.Engine;
import io.dbrescue.scan.Finding;
import io.dbrescue.scan.Kind;
import io.dbrescue.testing.PgCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a backup says about the libraries its PostgreSQL sorted text with, and the judgement a direct restore's plan
 * makes of it: read from trees laid out as real backups are (/etc with os-release as a link into /usr/lib, dpkg's
 * status in /var/lib), from this machine's real libc.so.6, and from the real server programs here (Debian's 15 links
 * the system's ICU 72, zonky's bundle ICU 60).
 */
class SystemLibrariesTest {
    @TempDir
    Path backup;

    private void ubuntu1804(Path root, boolean dpkg) throws IOException {
        Files.createDirectories(root.resolve("etc"));
        Files.createDirectories(root.resolve("usr/lib"));
        Files.writeString(root.resolve("usr/lib/os-release"), "NAME=\"Ubuntu\"\nID=ubuntu\nID_LIKE=debian\n"
                + "PRETTY_NAME=\"Ubuntu 18.04.6 LTS\"\nVERSION_ID=\"18.04\"\n");
        Files.createSymbolicLink(root.resolve("etc/os-release"), Path.of("../usr/lib/os-release"));
        if (dpkg) {
            Files.createDirectories(root.resolve("var/lib/dpkg"));
            Files.writeString(root.resolve("var/lib/dpkg/status"), "Package: libicu57\nStatus: deinstall ok config-files\n"
                    + "Version: 57.1-9\n\nPackage: libc6\nStatus: install ok installed\nVersion: 2.27-3ubuntu1.6\n\n"
                    + "Package: libicu60\nStatus: install ok installed\nVersion: 60.2-3ubuntu3.2\n");
        }
    }

    @Test
    void thePackageDatabaseNamesTheCLibraryAndIcu() throws IOException {
        ubuntu1804(backup, true);
        SystemLibraries s = SystemLibraries.ofDataDirectory(backup, "var/lib/postgresql/15/main");
        assertThat(s.system()).isEqualTo("Ubuntu 18.04.6 LTS");
        assertThat(s.osId()).isEqualTo("ubuntu:18.04");
        assertThat(s.libcText()).isEqualTo("glibc 2.27");
        assertThat(s.libcFrom()).isEqualTo("var/lib/dpkg/status (libc6 2.27-3ubuntu1.6)");
        assertThat(s.icu()).as("the installed one, not the removed libicu57").isEqualTo("60.2");
    }

    @Test
    void withoutThePackageDatabaseTheReleaseTableAnswers() throws IOException {
        ubuntu1804(backup.resolve("old"), false);
        SystemLibraries s = SystemLibraries.ofDataDirectory(backup, "old/var/lib/postgresql/15/main");
        assertThat(s.libcText()).isEqualTo("glibc 2.27");
        assertThat(s.libcFrom()).isEqualTo("Ubuntu 18.04 (etc/os-release) ships glibc 2.27");
        assertThat(s.icu()).isEqualTo("60");
    }

    @Test
    void theCLibraryItselfTellsItsVersion() throws IOException {
        Files.createDirectories(backup.resolve("lib/x86_64-linux-gnu"));
        Files.copy(Path.of("/lib/x86_64-linux-gnu/libc.so.6"), backup.resolve("lib/x86_64-linux-gnu/libc.so.6"));
        Files.createDirectories(backup.resolve("var/lib/dpkg"));
        Files.writeString(backup.resolve("var/lib/dpkg/status"), "Package: zlib1g\nStatus: install ok installed\n"
                + "Version: 1:1.2.13.dfsg-1\n");
        SystemLibraries s = SystemLibraries.ofDataDirectory(backup, "var/lib/postgresql/15/main");
        assertThat(s.libcText()).isEqualTo(SystemLibraries.here().libcText()).startsWith("glibc 2.");
        assertThat(s.libcFrom()).isEqualTo("lib/x86_64-linux-gnu/libc.so.6");
    }

    @Test
    void aLinkOutOfTheBackupIsNotFollowedAndAContainerVolumeTellsNothing() throws IOException {
        Path inner = backup.resolve("home/alex/copy");
        Files.createDirectories(inner.resolve("etc"));
        Files.createSymbolicLink(inner.resolve("etc/os-release"), Path.of("../../../../../../../../etc/os-release"));
        assertThat(SystemLibraries.ofDataDirectory(backup.resolve("home/alex"), "copy/var/lib/postgresql/15/main")
                .known()).isFalse();
        ubuntu1804(backup, true);
        assertThat(SystemLibraries.ofDataDirectory(backup, "var/lib/docker/volumes/pg/_data").known())
                .as("the image's libraries sorted it, not the host's").isFalse();
    }

    @Test
    void theServersIcuIsTheOneItLoads() {
        assertThat(SystemLibraries.icuOfServer(Path.of("/usr/lib/postgresql/15/bin"))).isEqualTo("72");
        assertThat(SystemLibraries.icuOfServer(PgCluster.zonkyBinDir(16))).isEqualTo("60");
    }

    private static Finding finding(String collate, String version, SystemLibraries old) {
        Finding f = new Finding(Engine.POSTGRESQL, Kind.DATA_DIRECTORY).version(version == null ? "14" : "15");
        Map<String, Object> shop = new LinkedHashMap<>();
        shop.put("localeProvider", "libc");
        shop.put("lcCollate", collate);
        if (version != null) {
            shop.put("collationVersion", version);
        }
        f.detail("databaseLocales", Map.of("shop", shop));
        f.detail(SystemLibraries.DETAIL, old.toMap());
        return f;
    }

    @Test
    void theCLibraryIsJudgedByTheRecordedVersionFirstThenByTheOldSystem() {
        SystemLibraries here = new SystemLibraries("Debian 12", "debian:12", "glibc", "2.36", "x", "72.1", "y");
        SystemLibraries bionic = new SystemLibraries("Ubuntu 18.04", "ubuntu:18.04", "glibc", "2.27", "dpkg", "60", "z");
        SystemLibraries none = new SystemLibraries(null, null, null, null, null, null, null);
        PgCollationPlan.Judgement recorded = PgCollationPlan.judge(finding("en_US.UTF-8", "2.27", none), none, here, "72");
        assertThat(recorded.libc()).isEqualTo(PgCollations.State.CHANGED);
        assertThat(recorded.libcWhy()).isEqualTo("glibc 2.27 then (recorded in the catalog (datcollversion)), glibc 2.36 "
                + "here (glibc 2.28 changed the sort order of most locales)");
        assertThat(recorded.libcDbs()).containsExactly("shop");
        assertThat(PgCollationPlan.judge(finding("en_US.UTF-8", null, bionic), bionic, here, "72").libc())
                .isEqualTo(PgCollations.State.CHANGED);
        assertThat(PgCollationPlan.judge(finding("en_US.UTF-8", "2.36", bionic), bionic, here, "72").libc())
                .as("the catalog's record wins over the files").isEqualTo(PgCollations.State.SAME);
        PgCollationPlan.Judgement unknown = PgCollationPlan.judge(finding("de_DE.UTF-8", null, none), none, here, null);
        assertThat(unknown.libc()).isEqualTo(PgCollations.State.UNKNOWN);
        assertThat(PgCollationPlan.judge(finding("C.UTF-8", null, none), none, here, null).libcDbs())
                .as("C.UTF-8 compares code points").isEmpty();
    }

    @Test
    void aCollationIsJudgedByItsVersionsElseByTheCLibrary() {
        PgCollations.Options direct = new PgCollations.Options(PgCollations.State.UNKNOWN, "?", true, true, true);
        assertThat(PgCollations.judge(100, "", "c", "en_US.UTF-8", "2.27", "2.36", direct).state())
                .isEqualTo(PgCollations.State.CHANGED);
        assertThat(PgCollations.judge(100, "", "i", "de", "153.80", "153.80", direct).state())
                .isEqualTo(PgCollations.State.SAME);
        assertThat(PgCollations.judge(100, "", "c", "en_US.UTF-8", null, null, direct).state())
                .isEqualTo(PgCollations.State.UNKNOWN);
        assertThat(PgCollations.judge(950, "\"C\"", "c", "C", null, null, direct).state())
                .isEqualTo(PgCollations.State.SAME);
        assertThat(PgCollations.judge(100, "", "b", "C.UTF-8", "1", "1", direct).state())
                .isEqualTo(PgCollations.State.SAME);
        assertThat(PgCollations.judge(100, "", "c", "en_US.UTF-8", null, null, PgCollations.Options.afterUpgrade())
                .state()).as("pg_upgrade's step goes by recorded versions only, as before").isEqualTo(PgCollations.State.SAME);
    }
}
