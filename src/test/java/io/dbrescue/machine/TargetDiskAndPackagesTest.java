package io.dbrescue.machine;

import io.dbrescue.Engines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class TargetDiskAndPackagesTest {
    @TempDir
    Path tmp;

    @Test
    void freeSpaceOfAMissingPathIsThatOfItsNearestExistingParent() throws IOException {
        Path missing = tmp.resolve("not/yet/made");
        assertThat(DiskSpace.existingAncestor(missing)).isEqualTo(tmp);
        FileStore store = Files.getFileStore(tmp);
        long free = DiskSpace.usableBytes(missing);
        assertThat(free).isPositive();
        // other programs write meanwhile: equal within 64 MB
        assertThat(Math.abs(free - store.getUsableSpace())).isLessThan(64L << 20);
    }

    @Test
    void sameFileSystemIsToldApart() throws IOException {
        assertThat(DiskSpace.sameFileSystem(tmp.resolve("a/b"), tmp.resolve("c"))).isTrue();
        // /proc is always its own file system
        assertThat(DiskSpace.sameFileSystem(tmp, Path.of("/proc/self"))).isFalse();
    }

    @Test
    void postgresToolsMapToEachDistributionsPackage() {
        Packages.Suggestion dump = Engines.packages("pg_dump", "17").orElseThrow();
        assertThat(dump.command(Packages.Family.DEBIAN)).hasValue("apt install postgresql-client-17");
        assertThat(dump.command(Packages.Family.FEDORA)).hasValue("dnf install postgresql17");
        assertThat(dump.command(Packages.Family.ARCH)).hasValue("pacman -S postgresql");
        assertThat(Engines.packages("/usr/lib/postgresql/16/bin/initdb", "16.4").orElseThrow()
                .command(Packages.Family.DEBIAN)).hasValue("apt install postgresql-16");
        assertThat(Engines.packages("pg_upgrade", "18").orElseThrow().command(Packages.Family.FEDORA))
                .hasValue("dnf install postgresql18-server");
        assertThat(Engines.packages("psql", null).orElseThrow().command(Packages.Family.DEBIAN))
                .hasValue("apt install postgresql-client");
        assertThat(Engines.packages("pg_dumpall", "9.6").orElseThrow().command(Packages.Family.FEDORA))
                .hasValue("dnf install postgresql96");
    }

    @Test
    void otherEnginesAndToolsMapToo() {
        assertThat(Engines.packages("mariadb-dump", null).orElseThrow().command(Packages.Family.DEBIAN))
                .hasValue("apt install mariadb-client");
        assertThat(Engines.packages("mariadbd", null).orElseThrow().command(Packages.Family.ARCH))
                .hasValue("pacman -S mariadb");
        assertThat(Engines.packages("redis-cli", null).orElseThrow().command(Packages.Family.DEBIAN))
                .hasValue("apt install redis-tools");
        assertThat(Engines.packages("podman", null).orElseThrow().command(Packages.Family.FEDORA))
                .hasValue("dnf install podman");
        assertThat(Engines.packages("rsync", null).orElseThrow().command(Packages.Family.ARCH))
                .hasValue("pacman -S rsync");
        Packages.Suggestion mongo = Engines.packages("mongorestore", null).orElseThrow();
        assertThat(mongo.command(Packages.Family.DEBIAN)).isEmpty();
        assertThat(mongo.advice(Packages.Family.DEBIAN)).contains("mongodb-database-tools");
        assertThat(Engines.packages("no-such-tool", null)).isEmpty();
    }

    @Test
    void adviceSaysThisSystemsCommandFirst() {
        String a = Engines.packages("pg_dump", "17").orElseThrow().advice(Packages.Family.FEDORA);
        assertThat(a).startsWith("pg_dump 17 is missing. Install it with dnf install postgresql17 (")
                .contains("Debian / Ubuntu: apt install postgresql-client-17").contains("Arch: pacman -S postgresql");
        assertThat(Engines.packages("pg_dump", null).orElseThrow().advice(Packages.Family.OTHER))
                .startsWith("pg_dump is missing. Packages that provide it: Debian / Ubuntu: apt install");
    }

    @Test
    void distributionFromOsRelease() throws IOException {
        assertThat(Packages.Distribution.parse("ID=debian\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"))
                .isEqualTo(new Packages.Distribution("debian", "Debian GNU/Linux 12 (bookworm)", Packages.Family.DEBIAN));
        assertThat(Packages.Distribution.parse("ID=linuxmint\nID_LIKE=\"ubuntu debian\"\n").family())
                .isEqualTo(Packages.Family.DEBIAN);
        assertThat(Packages.Distribution.parse("ID=\"rocky\"\nID_LIKE=\"rhel centos fedora\"\n").family())
                .isEqualTo(Packages.Family.FEDORA);
        assertThat(Packages.Distribution.parse("ID=fedora\n").family()).isEqualTo(Packages.Family.FEDORA);
        assertThat(Packages.Distribution.parse("ID=endeavouros\nID_LIKE=arch\n").family())
                .isEqualTo(Packages.Family.ARCH);
        assertThat(Packages.Distribution.parse("ID=opensuse-tumbleweed\nID_LIKE=\"opensuse suse\"\n").family())
                .isEqualTo(Packages.Family.OTHER);
        assertThat(Packages.Distribution.read(tmp.resolve("missing")).family()).isEqualTo(Packages.Family.OTHER);
        // this machine
        Path osRelease = Path.of("/etc/os-release");
        if (Files.isReadable(osRelease) && Files.readString(osRelease).contains("ID=debian")) {
            assertThat(Packages.Distribution.detect().family()).isEqualTo(Packages.Family.DEBIAN);
        }
    }
}
