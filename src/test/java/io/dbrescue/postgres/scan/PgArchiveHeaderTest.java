package io.dbrescue.postgres.scan;

import io.dbrescue.scan.Finding;
import io.dbrescue.scan.Sample;
import io.dbrescue.scan.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Archive versions 1.15 (pg_dump 16) and 1.16 (pg_dump 17, 18) cannot be produced on this host: no
 * pg_dump 16+ client runs here (the zonky binaries have no pg_dump; Debian's 17/18 need a newer glibc).
 * These archives are therefore built byte by byte after PostgreSQL's source, src/bin/pg_dump/
 * pg_backup_archiver.c (WriteHead, WriteToc, WriteInt, WriteStr, WriteOffset) and pg_backup_custom.c
 * (data blocks): not hand-copied bytes of a real file. Version 1.14 is tested on real pg_dump 15
 * output in {@link PgDumpScanTest}.
 */
class PgArchiveHeaderTest {
    @TempDir
    Path tmp;

    /** Writes what WriteHead / WriteToc / the custom format's data functions write (intSize 4, offSize 8). */
    static final class ArchiveWriter {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final int minor;

        ArchiveWriter(int minor) {
            this.minor = minor;
        }

        ArchiveWriter b(int v) {
            out.write(v);
            return this;
        }

        ArchiveWriter i(long v) { // WriteInt: sign byte, 4 bytes little-endian of |v|
            b(v < 0 ? 1 : 0);
            long a = Math.abs(v);
            for (int k = 0; k < 4; k++) {
                b((int) (a >> (8 * k)) & 0xff);
            }
            return this;
        }

        ArchiveWriter s(String v) { // WriteStr: int length (-1 for NULL) then the bytes
            if (v == null) {
                return i(-1);
            }
            byte[] bytes = v.getBytes(StandardCharsets.UTF_8);
            i(bytes.length);
            out.writeBytes(bytes);
            return this;
        }

        ArchiveWriter offset(int flag, long pos) { // WriteOffset: flag byte then 8 bytes little-endian
            b(flag);
            for (int k = 0; k < 8; k++) {
                b((int) (pos >> (8 * k)) & 0xff);
            }
            return this;
        }

        ArchiveWriter head(int format, int compressionAlgorithmOrLevel, String db, String server, String pgDump) {
            out.writeBytes("PGDMP".getBytes(StandardCharsets.US_ASCII));
            b(1).b(minor).b(0).b(4).b(8).b(format);
            if (minor >= 15) {
                b(compressionAlgorithmOrLevel);
            } else {
                i(compressionAlgorithmOrLevel);
            }
            i(5).i(4).i(3).i(2).i(0).i(125).i(0); // 2025-01-02 03:04:05
            return s(db).s(server).s(pgDump);
        }

        ArchiveWriter entry(int dumpId, boolean data, String tag, String desc, int relkind) {
            i(dumpId).i(data ? 1 : 0).s("0").s("0").s(tag).s(desc).i(data ? 3 : 2)
                    .s(data ? "" : "SET x = 1;\n").s("").s(data ? "COPY public.items (id) FROM stdin;\n" : "")
                    .s(data ? "public" : "").s("").s(data ? "heap" : "");
            if (minor >= 16) {
                i(relkind);
            }
            s("postgres").s("false");
            if (data) {
                s("1");
            }
            return s(null);
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    /** A complete custom-format archive with one table: returns the bytes. */
    static byte[] customArchive(int minor, int compression, String server, String pgDump) {
        ArchiveWriter w = new ArchiveWriter(minor).head(1, compression, "shop", server, pgDump);
        // TOC: count, ENCODING (no data), TABLE DATA at an offset known only after the TOC
        ArchiveWriter toc = new ArchiveWriter(minor);
        toc.i(2).entry(1, false, "ENCODING", "ENCODING", 0).offset(3, 0)
                .entry(2, true, "items", "TABLE DATA", 'r');
        int dataPos = w.bytes().length + toc.bytes().length + 9;
        toc.offset(2, dataPos);
        ArchiveWriter data = new ArchiveWriter(minor);
        data.b(1).i(2).i(5);
        data.out.writeBytes("1\n2\n\n".getBytes(StandardCharsets.US_ASCII));
        data.i(0);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(w.bytes());
        all.writeBytes(toc.bytes());
        all.writeBytes(data.bytes());
        return all.toByteArray();
    }

    @Test
    void version116HeaderAndTocAsPgDump17Writes() throws IOException {
        byte[] bytes = customArchive(16, 3, "17.6 (Debian 17.6-1)", "18.1");
        PgArchiveInput in = new PgArchiveInput(new ByteArrayInputStream(bytes), 0);
        PgArchiveHeader h = PgArchiveHeader.read(in);
        assertThat(h.archiveVersion()).isEqualTo("1.16");
        assertThat(h.format()).isEqualTo(PgArchiveHeader.FORMAT_CUSTOM);
        assertThat(h.compression()).isEqualTo("zstd");
        assertThat(h.createdAt()).isEqualTo("2025-01-02 03:04:05");
        assertThat(h.database()).isEqualTo("shop");
        assertThat(h.pgRestoreNeeded()).isEqualTo("17");
        PgArchiveToc toc = PgArchiveToc.read(in, h);
        assertThat(toc.entries()).hasSize(2);
        assertThat(toc.dataEntries()).singleElement().satisfies(e -> {
            assertThat(e.desc()).isEqualTo("TABLE DATA");
            assertThat(e.label()).isEqualTo("table data public.items");
        });

        Finding f = detect("v116.dump", bytes);
        assertThat(f.getStatus()).isEqualTo(Status.OK);
        assertThat(f.getVersion()).isEqualTo("17.6");
        assertThat(f.getFormat()).isEqualTo("custom");
        assertThat(f.getDatabases()).containsExactly("shop");
        assertThat(f.getDetails()).containsEntry("archiveVersion", "1.16").containsEntry("compression", "zstd")
                .containsEntry("pgRestoreNeeded", "17").containsEntry("tocEntries", 2);
        assertThat(f.getWarnings()).anyMatch(w -> w.contains("pg_restore 17 or newer"));

        Finding cut = detect("v116-cut.dump", Arrays.copyOf(bytes, bytes.length - 3));
        assertThat(cut.getStatus()).isEqualTo(Status.DAMAGED);
        assertThat(cut.getWarnings()).anyMatch(w -> w.contains("cut short"));
    }

    @Test
    void version115HasACompressionAlgorithmByte() throws IOException {
        byte[] bytes = customArchive(15, 2, "16.4", "16.4");
        Finding f = detect("v115.dump", bytes);
        assertThat(f.getStatus()).isEqualTo(Status.OK);
        assertThat(f.getVersion()).isEqualTo("16.4");
        assertThat(f.getDetails()).containsEntry("archiveVersion", "1.15").containsEntry("compression", "lz4")
                .containsEntry("pgRestoreNeeded", "16");
    }

    @Test
    void version114HasACompressionLevelInt() throws IOException {
        PgArchiveHeader h = PgArchiveHeader.read(new PgArchiveInput(
                new ByteArrayInputStream(customArchive(14, 0, "12.1", "13.2")), 0));
        assertThat(h.compression()).isEqualTo("none");
        h = PgArchiveHeader.read(new PgArchiveInput(new ByteArrayInputStream(customArchive(14, -1, "12.1", "13.2")), 0));
        assertThat(h.compression()).isEqualTo("gzip");
        assertThat(h.writtenBy()).isEqualTo("pg_dump 12 to 15");
    }

    @Test
    void aNewerArchiveIsReportedFromItsHeaderOnly() throws IOException {
        byte[] bytes = new ArchiveWriter(17).head(1, 0, "shop", "19.0", "19.0").b(0xee).bytes();
        Finding f = detect("v117.dump", bytes);
        assertThat(f.getStatus()).isEqualTo(Status.OK);
        assertThat(f.getVersion()).isEqualTo("19.0");
        assertThat(f.getWarnings()).anyMatch(w -> w.contains("newer than any pg_dump this tool knows"));
    }

    @Test
    void garbledAfterTheMagicIsDamagedButOtherPgdmpTextIsNoDump() throws IOException {
        byte[] good = customArchive(14, -1, "15.1", "15.1");
        byte[] garbled = good.clone();
        garbled[8] = 99; // intSize
        Finding f = detect("garbled.dump", garbled);
        assertThat(f.getStatus()).isEqualTo(Status.DAMAGED);
        assertThat(f.getWarnings()).anyMatch(w -> w.contains("garbled"));

        assertThat(detect("text.dump", "PGDMP is the magic of custom dumps, they say\n".repeat(3)
                .getBytes(StandardCharsets.US_ASCII))).isNull();
    }

    @Test
    void connectLinesAsPgDumpQuotesThem() {
        assertThat(PgPlainDump.Scan.connectTarget("shop")).isEqualTo("shop");
        assertThat(PgPlainDump.Scan.connectTarget("-reuse-previous=on \"dbname='my ''db'' \\\\x'\"")).isNotNull();
        assertThat(PgPlainDump.Scan.connectTarget("-reuse-previous=on \"dbname='my db'\"")).isEqualTo("my db");
        assertThat(PgPlainDump.Scan.connectTarget("- postgres")).isNull();
        assertThat(PgPlainDump.Scan.identifier("\"My \"\"Shop\"\"\" WITH TEMPLATE")).isEqualTo("My \"Shop\"");
        assertThat(PgPlainDump.Scan.identifier("shop WITH TEMPLATE = template0;")).isEqualTo("shop");
    }

    private Finding detect(String name, byte[] bytes) throws IOException {
        Path p = tmp.resolve(name);
        Files.write(p, bytes);
        return new PgDumpFileDetector().detect(Sample.of(p));
    }
}
