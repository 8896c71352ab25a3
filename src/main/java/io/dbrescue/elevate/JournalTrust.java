package io.dbrescue.elevate;

import io.dbrescue.run.Journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Whether root may believe a journal: the helper takes the steps it runs from it, so the file must be one only root
 * or the user who asked for the step could have written — a regular file (not a link), owned by root or that user,
 * writable by nobody else, in folders nobody else can change (each owned by root or that user and not writable by
 * others, unless sticky like /tmp) — and it must not change while it is read.
 */
final class JournalTrust {
    private static final int GROUP_OR_OTHER_WRITE = 0022;
    private static final int STICKY = 01000;

    private JournalTrust() {
    }

    static Journal load(Path file, int invokingUid) throws Refused, IOException {
        if (!file.isAbsolute()) {
            throw new Refused("Give the journal as an absolute path (" + file + " is relative).");
        }
        Map<String, Object> before = attributes(file);
        if (Files.isSymbolicLink(file)) {
            throw new Refused("The journal " + file + " is a symbolic link; give the file itself.");
        }
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new Refused(file + " is not a journal file.");
        }
        trusted(file, before, invokingUid, "The journal " + file);
        for (Path dir = file.getParent().toRealPath(); dir != null; dir = dir.getParent()) {
            trusted(dir, attributes(dir), invokingUid, "The folder " + dir + " that holds the journal");
        }
        Journal journal = Journal.read(file);
        Map<String, Object> after = attributes(file);
        for (String key : new String[] {"ino", "dev", "size", "lastModifiedTime"}) {
            if (!before.get(key).equals(after.get(key))) {
                throw new Refused("The journal " + file + " changed while it was read; nothing was run. Try again.");
            }
        }
        return journal;
    }

    private static void trusted(Path p, Map<String, Object> a, int uid, String what) throws Refused {
        int owner = (Integer) a.get("uid");
        int mode = (Integer) a.get("mode");
        if (owner != 0 && owner != uid) {
            throw new Refused(what + " belongs to another user (uid " + owner + "), not to you (uid " + uid
                    + ") or root: refused, since root would run what it says.");
        }
        boolean dir = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
        if ((mode & GROUP_OR_OTHER_WRITE) != 0 && !(dir && (mode & STICKY) != 0)) {
            throw new Refused(what + " can be written by other users (mode " + String.format("%04o", mode & 07777)
                    + "): refused, since root would run what it says. Make it writable only by you (chmod go-w).");
        }
    }

    private static Map<String, Object> attributes(Path p) throws Refused, IOException {
        try {
            return Files.readAttributes(p, "unix:uid,mode,ino,dev,size,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw new Refused("There is no journal " + p + ".");
        }
    }
}
