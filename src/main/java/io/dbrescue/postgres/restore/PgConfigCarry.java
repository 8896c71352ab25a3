package io.dbrescue.postgres.restore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The old cluster's configuration, carried to the restored (or upgraded) one and adapted where this machine,
 * the port or the new version demand it. A pure function of the old files (read from the backup, never
 * written) and the {@link Facts} of the target: the plan computes it to show the differences, the
 * {@code pg-config} step computes it again to write the files, and both get the same result.
 *
 * <p>Carried: postgresql.conf with every file it includes (Debian's conf.d), postgresql.auto.conf (ALTER
 * SYSTEM), pg_hba.conf and pg_ident.conf — from the data directory, or for Debian's layout from
 * etc/postgresql/N/NAME in the backup. Adapted: the paths that name the old places (data_directory, hba_file,
 * ident_file, include paths), the ones bound to the new system (external_pid_file, cluster_name, SSL
 * files that are not here: the target's own values), the port, the socket folders, and settings or values the
 * new major refuses ({@link PgRemovedSettings}). The owner's peer login is kept ({@link PgAuthRules}).
 */
final class PgConfigCarry {
    private static final int MAX_DEPTH = 10;
    private static final List<String> SSL_FILES = List.of("ssl_cert_file", "ssl_key_file", "ssl_ca_file",
            "ssl_crl_file", "ssl_crl_dir", "ssl_dh_params_file");

    /**
     * What the carry needs to know.
     *
     * @param sourceData    the old data directory in the backup
     * @param sourceConf    the old postgresql.conf in the backup (in the data directory, or Debian's etc/...); null
     *                      when the backup has none (then {@code fallbackDir}'s files are the base)
     * @param oldRoot       the folder in the backup that was the old system's "/", or null when unknown
     * @param oldDataDir    the old data directory's path on the old system
     * @param oldMajor      the old cluster's major version ("15")
     * @param newMajor      the version that runs the result
     * @param configDir     where postgresql.conf goes: the data directory, or Debian's /etc/postgresql/N/NAME
     * @param dataDir       the restored data directory
     * @param port          the restored server's port
     * @param socketDirs    its unix_socket_directories ("" for none)
     * @param owner         the OS user that runs it
     * @param role          the role that user logs in as (its own name, or the superuser through a map)
     * @param keep          system-bound settings of the target's own configuration (external_pid_file,
     *                      cluster_name, SSL files that exist here)
     * @param fallbackDir   the target's own configuration folder, used when the backup has no configuration
     */
    record Facts(String sourceData, String sourceConf, String oldRoot, String oldDataDir, String oldMajor,
                 String newMajor, String configDir, String dataDir, int port, String socketDirs, String owner,
                 String role, Map<String, String> keep, String fallbackDir) {
        boolean separateConfig() {
            return !Path.of(configDir).equals(Path.of(dataDir));
        }
    }

    /** One file to write: where, from where, its text before (null: new) and after. */
    record Out(Path path, String from, String before, String after, boolean restricted) {
        boolean changed() {
            return before == null || !before.equals(after);
        }
    }

    /**
     * The files, the folders include_dir needs, the notes for the pre-flight (each adaptation in words), the
     * shared_preload_libraries in effect, where the configuration came from, and the old values in effect.
     */
    record Result(List<Out> files, List<Path> dirs, List<String> notes, String preload, String source,
                  Map<String, String> old) {
    }

    private final Facts f;
    private final List<Out> files = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    /** The old values in effect (the last one read wins, includes in place, postgresql.auto.conf last). */
    private final Map<String, String> old = new LinkedHashMap<>();
    /** Folders include_dir names: they must exist, even empty, or the server will not start. */
    private final List<Path> dirs = new ArrayList<>();
    private final Set<Path> seen = new HashSet<>();
    private boolean sslFileMissing;

    private PgConfigCarry(Facts f) {
        this.f = f;
    }

    static Result carry(Facts facts) throws IOException {
        return new PgConfigCarry(facts).run();
    }

    private Result run() throws IOException {
        Path conf = f.sourceConf() != null ? Path.of(f.sourceConf()) : fallback("postgresql.conf");
        String source = f.sourceConf() != null ? Path.of(f.sourceConf()).getParent().toString()
                : conf != null ? "the target's own configuration (" + conf.getParent() + "; the backup has none)"
                : "dbrescue's defaults (neither the backup nor the target has a configuration)";
        Path mainOut = Path.of(f.configDir()).resolve("postgresql.conf");
        PgConf main = conf == null ? PgConf.parse("# written by dbrescue: no configuration was found; defaults apply\n")
                : null;
        if (conf != null) {
            main = walk(conf, oldConfDir(conf), mainOut, 0);
        }
        finishMain(main, conf, mainOut);
        Path auto = Path.of(f.sourceData()).resolve("postgresql.auto.conf");
        if (Files.isRegularFile(auto, LinkOption.NOFOLLOW_LINKS)) {
            PgConf a = PgConf.parse(read(auto));
            old.putAll(a.settings());
            adapt(a, "postgresql.auto.conf");
            files.add(new Out(Path.of(f.dataDir()).resolve("postgresql.auto.conf"), auto.toString(), read(auto), a.text(),
                    true));
        }
        rules(conf);
        return new Result(files, dirs, notes, old.getOrDefault("shared_preload_libraries", ""), source, old);
    }

    /** The old configuration folder on the old system (what relative include paths were relative to). */
    private Path oldConfDir(Path conf) {
        if (f.sourceConf() == null) {
            return conf.getParent();
        }
        Path dir = conf.getParent();
        if (dir.equals(Path.of(f.sourceData()))) {
            return Path.of(f.oldDataDir());
        }
        return f.oldRoot() != null && dir.startsWith(f.oldRoot())
                ? Path.of("/").resolve(Path.of(f.oldRoot()).relativize(dir)) : dir;
    }

    private Path fallback(String name) {
        if (f.fallbackDir() == null) {
            return null;
        }
        Path p = Path.of(f.fallbackDir()).resolve(name);
        return Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) ? p : null;
    }

    /** One file and the files it includes (in PostgreSQL's order, for the values in effect), each adapted. */
    private PgConf walk(Path inBackup, Path oldDir, Path out, int depth) throws IOException {
        String text = read(inBackup);
        PgConf c = PgConf.parse(text);
        for (PgConf.Line l : new ArrayList<>(c.lines())) {
            if (l.include()) {
                include(c, l, oldDir, out.getParent(), depth);
            } else if (l.name() != null) {
                old.put(l.name(), l.value());
            }
        }
        adapt(c, relativeName(out));
        files.add(new Out(out, inBackup.toString(), text, c.text(), false));
        return c;
    }

    private void include(PgConf c, PgConf.Line l, Path oldDir, Path newDir, int depth) throws IOException {
        String value = l.value();
        Path oldPath = oldDir.resolve(value).normalize();
        Path backupPath = inBackup(oldPath);
        Path target = onTarget(oldPath);
        boolean dir = l.name().equals("include_dir");
        if (target == null || backupPath == null || depth >= MAX_DEPTH || !seen.add(oldPath)) {
            boolean here = Files.exists(oldPath, LinkOption.NOFOLLOW_LINKS);
            if (!here && !l.name().equals("include_if_exists")) {
                c.repoint(l, null, "not on this system (the old " + oldPath + " is outside the configuration "
                        + "dbrescue carries)");
                notes.add("The line " + l.raw().strip() + " is turned off: " + oldPath + " is not on this system.");
            }
            return;
        }
        if (dir) {
            dirs.add(target);
            for (Path p : confFiles(backupPath)) {
                walk(p, oldPath, target.resolve(p.getFileName().toString()), depth + 1);
            }
        } else if (Files.isRegularFile(backupPath, LinkOption.NOFOLLOW_LINKS)) {
            walk(backupPath, oldPath.getParent(), target, depth + 1);
        } else if (!l.name().equals("include_if_exists")) {
            c.repoint(l, null, "the backup has no " + oldPath);
            notes.add("The line " + l.raw().strip() + " is turned off: the backup has no " + oldPath + ".");
            return;
        }
        Path wanted = Path.of(value).isAbsolute() ? target : newDir.resolve(value).normalize();
        if (!wanted.equals(target)) {
            c.repoint(l, target.toString(), "was " + value);
        } else if (Path.of(value).isAbsolute() && !value.equals(target.toString())) {
            c.repoint(l, target.toString(), "was " + value);
        }
    }

    /** The *.conf files of an include_dir, by name, as PostgreSQL reads them (no hidden files). */
    private static List<Path> confFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".conf") && !p.getFileName().toString().startsWith("."))
                    .filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
        }
    }

    /** Where an old path is in the backup: under the old data directory, or under the old system's root. */
    private Path inBackup(Path oldPath) {
        Path oldData = Path.of(f.oldDataDir());
        if (oldPath.startsWith(oldData)) {
            return Path.of(f.sourceData()).resolve(oldData.relativize(oldPath).toString());
        }
        if (f.oldRoot() != null && oldPath.isAbsolute()) {
            return Path.of(f.oldRoot()).resolve(Path.of("/").relativize(oldPath).toString());
        }
        if (f.sourceConf() == null && oldPath.startsWith(Path.of(f.fallbackDir()))) {
            return oldPath;
        }
        return null;
    }

    /** Where an old path goes: under the configuration folder or the data directory, as it was; null elsewhere. */
    private Path onTarget(Path oldPath) {
        Path oldConf = f.sourceConf() == null ? Path.of(f.fallbackDir()) : oldConfDir(Path.of(f.sourceConf()));
        Path oldData = Path.of(f.oldDataDir());
        if (oldPath.startsWith(oldConf)) {
            return Path.of(f.configDir()).resolve(oldConf.relativize(oldPath).toString());
        }
        if (oldPath.startsWith(oldData)) {
            return Path.of(f.dataDir()).resolve(oldData.relativize(oldPath).toString());
        }
        return null;
    }

    private String relativeName(Path out) {
        Path dir = Path.of(f.configDir());
        return out.startsWith(dir) ? dir.relativize(out).toString() : out.toString();
    }

    /** Every line of one file that this machine, the port or the new version cannot take as it is. */
    private void adapt(PgConf c, String file) {
        for (String name : new ArrayList<>(c.settings().keySet())) {
            String v = c.get(name);
            String done = paths(c, name, v);
            if (done == null) {
                done = version(c, name, v);
            }
            if (done != null) {
                notes.add(file + ": " + done);
            }
        }
        if (sslFileMissing && "on".equalsIgnoreCase(c.get("ssl"))) {
            c.replace("ssl", "off", "its certificate or key is not on this system");
            notes.add(file + ": ssl = off — the old certificate or key is not on this system (and the target names none); "
                    + "put them back and set ssl = on to use SSL again.");
        }
    }

    /** The settings that name places and the port; returns what was done, or null when nothing was. */
    private String paths(PgConf c, String name, String v) {
        boolean sep = f.separateConfig();
        switch (name) {
            case "data_directory", "hba_file", "ident_file" -> {
                String want = name.equals("data_directory") ? f.dataDir() : Path.of(f.configDir())
                        .resolve(name.equals("hba_file") ? "pg_hba.conf" : "pg_ident.conf").toString();
                if (!sep) {
                    c.disable(name, "the file is in the data directory, where PostgreSQL looks by default");
                    return name + " turned off (the default place in the data directory)";
                }
                return v.equals(want) ? null : set(c, name, want, "was " + v);
            }
            case "external_pid_file", "cluster_name" -> {
                String want = f.keep().get(name);
                if (want != null) {
                    return v.equals(want) ? null : set(c, name, want, "the target's own (was " + v + ")");
                }
                if (name.equals("cluster_name")) {
                    return null;
                }
                c.disable(name, "the target names none");
                return name + " turned off (the target names none; was " + v + ")";
            }
            case "port" -> {
                return v.equals(Integer.toString(f.port())) ? null : set(c, name, Integer.toString(f.port()),
                        "the restored server's port (was " + v + ")");
            }
            case "unix_socket_directories", "unix_socket_directory" -> {
                if (name.equals("unix_socket_directory") || !v.equals(f.socketDirs())) {
                    c.disable(name, "see below");
                    c.set("unix_socket_directories", f.socketDirs(), "the restored server's socket folder (was " + v + ")");
                    return "unix_socket_directories = '" + f.socketDirs() + "' (was " + v + ")";
                }
                return null;
            }
            default -> {
                return SSL_FILES.contains(name) ? sslFile(c, name, v) : null;
            }
        }
    }

    private String sslFile(PgConf c, String name, String v) {
        if (v.isEmpty()) {
            return null;
        }
        Path p = Path.of(f.dataDir()).resolve(v);
        if (Files.exists(p) || Files.exists(Path.of(f.configDir()).resolve(v))) {
            return null;
        }
        String want = f.keep().get(name);
        if (want != null) {
            return set(c, name, want, "the target's own: " + v + " is not on this system");
        }
        c.disable(name, v + " is not on this system");
        if (name.equals("ssl_cert_file") || name.equals("ssl_key_file")) {
            sslFileMissing = true;
        }
        return name + " turned off: " + v + " is not on this system";
    }

    /** Settings and values the new major refuses. */
    private String version(PgConf c, String name, String v) {
        PgRemovedSettings.Gone g = PgRemovedSettings.gone(name, f.oldMajor(), f.newMajor());
        if (g != null) {
            if (name.equals("wal_keep_segments") && PgRemovedSettings.walKeepSize(v) != null) {
                c.disable(name, g.note());
                c.set(g.renamedTo(), PgRemovedSettings.walKeepSize(v), "was wal_keep_segments = " + v);
                return "wal_keep_segments = " + v + " became wal_keep_size = " + PgRemovedSettings.walKeepSize(v);
            }
            if (g.renamedTo() != null) {
                c.rename(name, g.renamedTo(), "was " + name + " (" + g.note() + ")");
                return name + " is " + g.renamedTo() + " in PostgreSQL " + f.newMajor();
            }
            c.disable(name, "PostgreSQL " + f.newMajor() + " does not know it (" + g.note() + ")");
            return name + " turned off: PostgreSQL " + f.newMajor() + " does not know it (" + g.note() + ")";
        }
        String value = PgRemovedSettings.value(name, v, f.newMajor());
        if (value == null) {
            return null;
        }
        if (value.isEmpty()) {
            c.disable(name, "PostgreSQL " + f.newMajor() + " refuses " + v);
            return name + " = " + v + " turned off: PostgreSQL " + f.newMajor() + " refuses that value";
        }
        return set(c, name, value, "PostgreSQL " + f.newMajor() + " refuses " + v);
    }

    private String set(PgConf c, String name, String value, String why) {
        c.replace(name, value, why);
        return name + " = '" + value + "' (" + why + ")";
    }

    /** What must be in the main file whatever the old one said: where things are, the port, a socket. */
    private void finishMain(PgConf main, Path conf, Path mainOut) {
        if (f.separateConfig()) {
            Map<String, String> want = Map.of("data_directory", f.dataDir(),
                    "hba_file", Path.of(f.configDir()).resolve("pg_hba.conf").toString(),
                    "ident_file", Path.of(f.configDir()).resolve("pg_ident.conf").toString());
            for (String name : List.of("data_directory", "hba_file", "ident_file")) {
                if (!old.containsKey(name)) {
                    main.set(name, want.get(name), "where the restored cluster's files are");
                }
            }
        }
        if (!old.containsKey("port") && f.port() != 5432) {
            main.set("port", Integer.toString(f.port()), "the restored server's port");
            notes.add("port = " + f.port() + " (the old configuration used the default, 5432)");
        }
        if (!old.containsKey("unix_socket_directories") && !old.containsKey("unix_socket_directory")
                && !f.socketDirs().isEmpty()) {
            main.set("unix_socket_directories", f.socketDirs(), "the restored server's socket folder");
        }
        if (conf == null) {
            files.add(new Out(mainOut, "(none)", null, main.text(), false));
        } else {
            files.stream().filter(o -> o.path().equals(mainOut)).findFirst().ifPresent(o -> files.set(files.indexOf(o),
                    new Out(o.path(), o.from(), o.before(), main.text(), o.restricted())));
        }
    }

    private void rules(Path conf) throws IOException {
        Path hba = rulesFile("hba_file", "pg_hba.conf", conf);
        Path ident = rulesFile("ident_file", "pg_ident.conf", conf);
        String hbaText = hba == null ? String.join("\n", PgAuthRulesDefaults.HBA) + "\n" : read(hba);
        String identText = ident == null ? "" : read(ident);
        hbaText = oldMethods(hbaText);
        PgAuthRules.Result r = PgAuthRules.keepOwner(hbaText, identText, f.owner(), f.role());
        if (r.added() != null) {
            notes.add("pg_hba.conf: added first: " + r.added() + " — the old rules did not let the OS user " + f.owner()
                    + " in by peer, which the system's tools and dbrescue need");
        }
        Path dir = Path.of(f.configDir());
        files.add(new Out(dir.resolve("pg_hba.conf"), hba == null ? "(none: dbrescue's default)" : hba.toString(),
                hba == null ? null : read(hba), r.hba(), true));
        files.add(new Out(dir.resolve("pg_ident.conf"), ident == null ? "(none)" : ident.toString(),
                ident == null ? null : read(ident), r.ident(), true));
    }

    /** The old pg_hba.conf / pg_ident.conf in the backup: where hba_file / ident_file said, else the default place. */
    private Path rulesFile(String setting, String name, Path conf) {
        if (f.sourceConf() == null) {
            return fallback(name);
        }
        String v = old.get(setting);
        Path old = v != null ? oldConfDir(conf).resolve(v) : Path.of(f.oldDataDir()).resolve(name);
        Path p = inBackup(old.normalize());
        if ((p == null || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) && v != null) {
            // the configuration folder was copied under another name (15/main in the backup, 15/old on the old
            // system): the file beside postgresql.conf
            p = conf.getParent().resolve(old.getFileName().toString());
        }
        if (p == null || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            notes.add("The backup has no " + name + " (the old cluster's was " + old + "): "
                    + (name.equals("pg_hba.conf") ? "dbrescue's default rules are used (local peer, passwords over TCP)"
                    : "an empty one is written") + ".");
            return null;
        }
        return p;
    }

    /** Login methods PostgreSQL no longer has (krb5, 9.4) turned off; include lines (16+) left to the user. */
    private String oldMethods(String hba) {
        StringBuilder b = new StringBuilder();
        for (String line : hba.split("\n", -1)) {
            List<String> w = PgAuthRules.fields(line);
            if (w.contains("krb5")) {
                b.append('#').append(line).append("\t# dbrescue: krb5 logins were removed in PostgreSQL 9.4 (use gss)\n");
                notes.add("pg_hba.conf: a krb5 line is turned off (PostgreSQL 9.4 removed it; gss replaces it).");
            } else {
                b.append(line).append('\n');
            }
        }
        return b.substring(0, b.length() - 1);
    }

    static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    /** dbrescue's rules when nothing else is at hand: local peer (the owner gets in), passwords over TCP. */
    static final class PgAuthRulesDefaults {
        static final List<String> HBA = List.of("# written by dbrescue: no pg_hba.conf was found",
                "local   all             all                                     peer",
                "host    all             all             127.0.0.1/32            scram-sha-256",
                "host    all             all             ::1/128                 scram-sha-256");

        private PgAuthRulesDefaults() {
        }
    }
}
