package io.dbrescue.settings;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * dbrescue's own files are for its user only — journals, history, logs and safety dumps hold whole
 * databases and the shape of a system: folders 0700, files 0600. New ones are made so; existing ones
 * with more are tightened (group and other bits taken away, never added). Files of a database server's
 * data directory are never passed here: they keep the modes the server wants.
 */
public final class PrivateFiles {
    private static final Logger LOG = LoggerFactory.getLogger(PrivateFiles.class);
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
    private static final FileAttribute<Set<PosixFilePermission>> DIR_MODE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    private static final FileAttribute<Set<PosixFilePermission>> FILE_MODE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private PrivateFiles() {
    }

    /** The folder (missing parents made 0700 too), tightened to 0700 when it exists with more. */
    public static Path folder(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, DIR_MODE);
        }
        tighten(dir);
        return dir;
    }

    /** An empty file made 0600 when there is none (a program then writes into it), else the file tightened. */
    public static Path file(Path file) throws IOException {
        try {
            Files.createFile(file, FILE_MODE);
        } catch (FileAlreadyExistsException e) {
            tighten(file);
        }
        return file;
    }

    /** Opens the file for writing from the start, made 0600 (or tightened when it was there). */
    public static OutputStream newOutputStream(Path file) throws IOException {
        OutputStream out = Channels.newOutputStream(Files.newByteChannel(file, Set.of(StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING), FILE_MODE));
        tighten(file);
        return out;
    }

    /** Takes group and other permissions off a file or folder of ours (not following a link); quiet when it cannot. */
    public static void tighten(Path p) {
        try {
            if (Files.isSymbolicLink(p) || !Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
            if (perms.removeAll(OTHERS)) {
                Files.setPosixFilePermissions(p, perms);
                LOG.debug("tightened {} to {}", p, PosixFilePermissions.toString(perms));
            }
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            LOG.debug("could not tighten the mode of {}: {}", p, e.toString());
        }
    }

    /**
     * Tightens a folder of dbrescue's own and the regular files directly in it; sub-folders are tightened
     * themselves but not what is in them (a run's work folder can hold a copy of a data directory).
     */
    public static void tightenFolder(Path dir) {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        tighten(dir);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                tighten(p);
            }
        } catch (IOException e) {
            LOG.debug("could not list {}: {}", dir, e.toString());
        }
    }
}
