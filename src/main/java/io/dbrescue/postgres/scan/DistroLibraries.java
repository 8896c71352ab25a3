package io.dbrescue.postgres.scan;

import java.util.Locale;
import java.util.Map;

/**
 * The C library and ICU a distribution release ships, for a backup that names its release (os-release) but holds
 * neither its package database nor its libraries. Only releases whose versions do not move within the release are
 * listed (no rolling distributions, no Fedora). Sources: packages.debian.org/&lt;suite&gt;/libc6 and
 * /libicu&lt;N&gt; (Debian 8 jessie 2.19/52, 9 stretch 2.24/57, 10 buster 2.28/63, 11 bullseye 2.31/67, 12 bookworm
 * 2.36/72, 13 trixie 2.41/76); packages.ubuntu.com/&lt;series&gt;/libc6 and /libicu&lt;N&gt; (14.04 2.19/52, 16.04
 * 2.23/55, 18.04 2.27/60, 20.04 2.31/66, 22.04 2.35/70, 24.04 2.39/74); Red Hat's package lists for RHEL and its
 * rebuilds (7: glibc 2.17, ICU 50; 8: 2.28, 60; 9: 2.34, 67); Alpine uses musl, whose strcoll compares code points.
 */
final class DistroLibraries {
    /** A release: its name, libc ("glibc" / "musl"), glibc version (null for musl), ICU major (null when unknown). */
    record Release(String name, String libc, String libcVersion, String icu) {
        String libcText() {
            return libcVersion == null ? libc : libc + " " + libcVersion;
        }
    }

    private static final Map<String, Release> RELEASES = Map.ofEntries(
            Map.entry("debian:8", new Release("Debian 8", "glibc", "2.19", "52")),
            Map.entry("debian:9", new Release("Debian 9", "glibc", "2.24", "57")),
            Map.entry("debian:10", new Release("Debian 10", "glibc", "2.28", "63")),
            Map.entry("debian:11", new Release("Debian 11", "glibc", "2.31", "67")),
            Map.entry("debian:12", new Release("Debian 12", "glibc", "2.36", "72")),
            Map.entry("debian:13", new Release("Debian 13", "glibc", "2.41", "76")),
            Map.entry("ubuntu:14.04", new Release("Ubuntu 14.04", "glibc", "2.19", "52")),
            Map.entry("ubuntu:16.04", new Release("Ubuntu 16.04", "glibc", "2.23", "55")),
            Map.entry("ubuntu:18.04", new Release("Ubuntu 18.04", "glibc", "2.27", "60")),
            Map.entry("ubuntu:20.04", new Release("Ubuntu 20.04", "glibc", "2.31", "66")),
            Map.entry("ubuntu:22.04", new Release("Ubuntu 22.04", "glibc", "2.35", "70")),
            Map.entry("ubuntu:24.04", new Release("Ubuntu 24.04", "glibc", "2.39", "74")),
            Map.entry("rhel:7", new Release("RHEL 7", "glibc", "2.17", "50")),
            Map.entry("rhel:8", new Release("RHEL 8", "glibc", "2.28", "60")),
            Map.entry("rhel:9", new Release("RHEL 9", "glibc", "2.34", "67")));

    private DistroLibraries() {
    }

    /**
     * The release of os-release's ID and VERSION_ID, or null when not listed. CentOS, Rocky, AlmaLinux and Oracle
     * Linux count as the RHEL of their major version; Alpine is musl whatever its version.
     */
    static Release of(String id, String versionId) {
        if (id == null) {
            return null;
        }
        String i = id.toLowerCase(Locale.ROOT);
        if (i.equals("alpine")) {
            return new Release("Alpine " + (versionId == null ? "" : versionId).strip(), "musl", null, null);
        }
        if (versionId == null) {
            return null;
        }
        String v = versionId.strip();
        if (i.equals("debian")) {
            v = v.replaceFirst("\\..*", "");
        } else if (i.equals("centos") || i.equals("rocky") || i.equals("almalinux") || i.equals("ol") || i.equals("rhel")) {
            i = "rhel";
            v = v.replaceFirst("\\..*", "");
        }
        return RELEASES.get(i + ":" + v);
    }
}
