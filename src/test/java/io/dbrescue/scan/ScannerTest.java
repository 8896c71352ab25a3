package io.dbrescue.scan;

import io.dbrescue.testing.Cmd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CancellationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The tree walk itself, with stand-in detectors (the engines' detectors have their own tests on
 * fixtures made by the real servers): what is walked, what is claimed, what ends in a warning.
 */
class ScannerTest {
    /** Stand-in file format: files whose content starts with "PFAKE". */
    static final FileDetector FAKE_FILE = s -> s.contentStartsWith("PFAKE")
            ? new Finding(Engine.SQLITE, Kind.SQLITE_FILE).version("1") : null;
    /** Stand-in data directory: a folder holding a file called FAKE_VERSION. */
    static final DirectoryDetector FAKE_DIR = f -> f.hasFile("FAKE_VERSION")
            ? new Finding(Engine.POSTGRESQL, Kind.DATA_DIRECTORY)
                    .version(new String(f.head("FAKE_VERSION", 16), StandardCharsets.US_ASCII).trim())
            : null;

    static final EngineScanner FAKE = new EngineScanner() {
        @Override
        public List<DirectoryDetector> directoryDetectors() {
            return List.of(FAKE_DIR);
        }

        @Override
        public List<FileDetector> fileDetectors() {
            return List.of(FAKE_FILE);
        }
    };

    @TempDir
    Path tmp;

    private ScanResult scan(Path root) throws IOException {
        return new Scanner(List.of(FAKE)).scan(root);
    }

    private static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    @Test
    void missingOrFileRootIsRefused() throws IOException {
        assertThatThrownBy(() -> scan(tmp.resolve("nope"))).isInstanceOf(NoSuchFileException.class);
        write(tmp.resolve("file"), "x");
        assertThatThrownBy(() -> scan(tmp.resolve("file"))).isInstanceOf(NotDirectoryException.class);
    }

    @Test
    void findsFilesByContentNotByName() throws IOException {
        write(tmp.resolve("a/b/c/anything.bin"), "PFAKE and some more bytes");
        write(tmp.resolve("a/looks-like.sqlite"), "not the magic at all, only a name");
        write(tmp.resolve("a/gz/x.gz"), "");
        Cmd.run(List.of("sh", "-c", "printf 'PFAKE compressed content here' | gzip > " + tmp.resolve("a/gz/x.gz")));

        ScanResult r = scan(tmp);

        assertThat(r.findings()).extracting(Finding::getPath)
                .containsExactly("a/b/c/anything.bin", "a/gz/x.gz");
        assertThat(r.findings().get(0).getSizeBytes()).isEqualTo(25);
        assertThat(r.stats().files()).isEqualTo(3);
        assertThat(r.root()).isEqualTo(tmp.toAbsolutePath().toString());
    }

    @Test
    void aClaimedFolderIsSizedWholeAndNotSearchedInside() throws IOException {
        write(tmp.resolve("var/lib/db/FAKE_VERSION"), "16\n");
        write(tmp.resolve("var/lib/db/base/1/data"), "x".repeat(1000));
        write(tmp.resolve("var/lib/db/inner/other.bin"), "PFAKE inside a claimed folder");

        ScanResult r = scan(tmp);

        assertThat(r.findings()).hasSize(1);
        Finding f = r.findings().get(0);
        assertThat(f.getPath()).isEqualTo("var/lib/db");
        assertThat(f.getVersion()).isEqualTo("16");
        assertThat(f.getSizeBytes()).isEqualTo(3 + 1000 + "PFAKE inside a claimed folder".length());
    }

    @Test
    void theRootItselfCanBeTheFinding() throws IOException {
        write(tmp.resolve("FAKE_VERSION"), "15");
        assertThat(scan(tmp).findings()).extracting(Finding::getPath).containsExactly(".");
    }

    @Test
    void symbolicLinksAreNotFollowedAndLoopsAreReported() throws IOException {
        Path outside = tmp.resolve("outside");
        write(outside.resolve("db.bin"), "PFAKE outside the backup");
        Path root = tmp.resolve("backup");
        Files.createDirectories(root.resolve("home"));
        Files.createSymbolicLink(root.resolve("home/link-out"), outside);
        Files.createSymbolicLink(root.resolve("home/file-out"), outside.resolve("db.bin"));
        Files.createSymbolicLink(root.resolve("home/self"), Path.of("."));
        Files.createSymbolicLink(root.resolve("home/up"), Path.of(".."));
        Files.createSymbolicLink(root.resolve("home/a"), Path.of("b"));
        Files.createSymbolicLink(root.resolve("home/b"), Path.of("a"));

        ScanResult r = scan(root);

        assertThat(r.findings()).isEmpty();
        assertThat(r.warnings()).extracting(ScanWarning::path)
                .containsExactlyInAnyOrder("home/self", "home/up", "home/a", "home/b");
        assertThat(r.warnings()).allSatisfy(w -> assertThat(w.message()).contains("loop"));
    }

    @Test
    void aVeryDeepTreeEndsWithAWarning() throws IOException {
        Path deep = tmp;
        for (int i = 0; i < Scanner.MAX_DEPTH + 20; i++) {
            deep = deep.resolve("d");
        }
        Files.createDirectories(deep);
        write(tmp.resolve("d/d/db.bin"), "PFAKE near the top");

        ScanResult r = scan(tmp);

        assertThat(r.findings()).extracting(Finding::getPath).containsExactly("d/d/db.bin");
        assertThat(r.warnings()).singleElement().satisfies(w -> assertThat(w.message()).contains("deeper than"));
    }

    @Test
    @Timeout(30)
    void socketsAndFifosAreSkippedWithAWarningAndNeverOpened() throws IOException {
        Cmd.run(List.of("mkfifo", tmp.resolve("pipe").toString()));
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(tmp.resolve("mysql.sock")));
            write(tmp.resolve("db.bin"), "PFAKE beside a fifo");

            ScanResult r = scan(tmp);

            assertThat(r.findings()).extracting(Finding::getPath).containsExactly("db.bin");
            assertThat(r.warnings()).extracting(ScanWarning::path).containsExactlyInAnyOrder("pipe", "mysql.sock");
            assertThat(r.warnings()).allSatisfy(w -> assertThat(w.message()).contains("special file"));
        }
    }

    @Test
    void namesThatAreNotValidTextAreScannedAndReported() throws IOException {
        // Java cannot create such a name itself; printf in a fixed shell line can.
        Cmd.run(List.of("sh", "-c", "cd \"$1\" && mkdir -p 'a' && printf 'PFAKE with an odd name' > \"a/$(printf 'db\\377\\376.bin')\"",
                "sh", tmp.toString()));

        ScanResult r = scan(tmp);

        assertThat(r.findings()).as("%s %s", r.warnings(), System.getProperty("sun.jnu.encoding")).singleElement().satisfies(f -> assertThat(f.getPath()).startsWith("a/db"));
        assertThat(r.warnings()).singleElement().satisfies(w -> assertThat(w.message()).contains("not valid text"));
    }

    @Test
    void cachesAndPackageFoldersAreCountedButNotSearched() throws IOException {
        write(tmp.resolve("proj/.git/objects/ab/cdef"), "PFAKE lookalike in git's object store");
        write(tmp.resolve("home/.cache/app/blob"), "PFAKE lookalike in a cache");
        write(tmp.resolve("proj/node_modules/pkg/test.db"), "PFAKE lookalike in a package");
        write(tmp.resolve("proj/objects/real.db"), "PFAKE in a folder named objects, not git's");
        write(tmp.resolve("proj/data.bin"), "PFAKE in the working tree");

        ScanResult r = scan(tmp);

        assertThat(r.findings()).extracting(Finding::getPath).containsExactly("proj/data.bin", "proj/objects/real.db");
        assertThat(r.stats().files()).isEqualTo(5);
    }

    @Test
    void aCancelledScanStops() throws IOException {
        write(tmp.resolve("db.bin"), "PFAKE");
        ScanListener cancelled = new ScanListener() {
            @Override
            public boolean cancelled() {
                return true;
            }
        };
        assertThatThrownBy(() -> new Scanner(List.of(FAKE)).scan(tmp, cancelled))
                .isInstanceOf(CancellationException.class);
    }
}
