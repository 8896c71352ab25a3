package io.dbrescue.postgres.restore;

import io.dbrescue.plan.PlanContext;
import io.dbrescue.scan.Finding;
import io.dbrescue.machine.InstalledServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plans the {@code pg-config} step for a cluster that takes the target's place (the direct path and the
 * pg_upgrade path): finds the old configuration in the backup, the target's own (its system-bound settings,
 * and the base when the backup has none), chooses the socket folder, checks what the carried settings need on
 * this machine (preloaded libraries, message locales) and shows the differences in the dry run.
 *
 * <p>Where the configuration goes: into the data directory, unless the target keeps it apart (Debian's
 * /etc/postgresql/N/NAME): then there, and the server starts with {@code -c config_file=} as pg_ctlcluster
 * starts it. Decision for that case: the old cluster's files replace the target's (each kept beside as a safety
 * copy), because the roles, passwords and databases they speak of are the old cluster's; what belongs to this
 * machine (paths, port, socket, pid file, cluster name, certificates) comes from the target's own files.
 */
final class PgConfigPlan {
    private static final Pattern DEBIAN_CONF = Pattern.compile("(?:(.*)/)?etc/postgresql/([^/]+)/([^/]+)/postgresql\\.conf");
    private static final List<String> KEEP = List.of("external_pid_file", "cluster_name", "ssl_cert_file", "ssl_key_file",
            "ssl_ca_file", "ssl_crl_file", "ssl_crl_dir", "ssl_dh_params_file");
    private static final List<String> MESSAGE_LOCALES = List.of("lc_messages", "lc_monetary", "lc_numeric", "lc_time");

    private PgConfigPlan() {
    }

    /**
     * What the start and the later logins need from the carry.
     *
     * @param configFile the postgresql.conf to start with when it is not in the data directory, else null
     * @param socketDirs the socket folder(s) ("" for none)
     * @param rules      the login rules the cluster will have (the carried pg_hba.conf and pg_ident.conf): what
     *                   the pre-flight proves the later steps' logins against
     */
    record Planned(String configFile, String socketDirs, PgHba rules) {
    }

    /**
     * Adds the checks and the step. {@code fallbackNow} is the target's configuration folder now (the base when
     * the backup has none), {@code fallbackThen} where it is when the step runs (the safety copy of the data
     * directory, or the same /etc folder). {@code socketsHere}: the target's own socket folder, kept (null: chosen
     * from the old configuration, see {@link #sockets}).
     */
    static Planned plan(Finding f, Path backupRoot, PlanContext ctx, Path data, InstalledServer.Cluster cluster,
                        String newMajor, Path newBin, int port, String runAs, Path fallbackThen, String socketsHere) {
        Path configDir = separateConfigDir(data, cluster);
        Path fallbackNow = configDir.equals(data) ? (Files.isRegularFile(data.resolve("postgresql.conf")) ? data : null)
                : configDir;
        Path then = configDir.equals(data) ? (fallbackNow == null ? null : fallbackThen) : configDir;
        PgConfigCarry.Facts facts = facts(f, backupRoot, data, configDir, newMajor, port, "", runAs, fallbackNow);
        PgConfigCarry.Result first;
        try {
            first = PgConfigCarry.carry(facts);
        } catch (IOException e) {
            ctx.fail("configuration", "The old cluster's configuration could not be read: " + e.getMessage(),
                    "Check that the backup is readable (dbrescue runs as " + System.getProperty("user.name") + ").");
            return new Planned(null, sockets(null, runAs), unknownRules());
        }
        String sockets = socketsHere != null ? socketsHere : sockets(oldSockets(first), runAs);
        facts = facts(f, backupRoot, data, configDir, newMajor, port, sockets, runAs, fallbackNow);
        PgConfigCarry.Result r;
        try {
            r = PgConfigCarry.carry(facts);
        } catch (IOException e) {
            ctx.fail("configuration", "The old cluster's configuration could not be read: " + e.getMessage(), null);
            return new Planned(null, sockets, unknownRules());
        }
        checks(ctx, r, configDir, newMajor, newBin, sockets);
        PgConfigCarry.Facts atRun = facts(f, backupRoot, data, configDir, newMajor, port, sockets, runAs, then);
        boolean separate = !configDir.equals(data);
        ctx.step(new PgConfigStep.PgConfig(atRun, PgConfigDiff.of(r.files()), ctx.runId()),
                        "Carry the old cluster's configuration into " + configDir + " (adapted; differences below)")
                .reads(r.source()).writes(String.join(", ", r.files().stream().map(o -> o.path().getFileName().toString())
                        .distinct().toList()) + " in " + configDir + (separate ? " (the existing ones kept beside them as "
                        + "NAME.before-dbrescue-" + ctx.runId() + ")" : ""))
                .needsRoot(separate && !Files.isWritable(configDir))
                .undo(separate ? "put the target's own files back" : "nothing (the data directory's copy is undone)")
                .add();
        return new Planned(separate ? configDir.resolve("postgresql.conf").toString() : null, sockets,
                rules(r, configDir));
    }

    /** The carried pg_hba.conf and pg_ident.conf, as the cluster will read them. */
    private static PgHba rules(PgConfigCarry.Result r, Path configDir) {
        Path hba = configDir.resolve("pg_hba.conf");
        return PgHba.of("the carried pg_hba.conf (" + hba + ")", carried(r, hba),
                carried(r, configDir.resolve("pg_ident.conf")));
    }

    private static String carried(PgConfigCarry.Result r, Path file) {
        return r.files().stream().filter(o -> o.path().equals(file)).map(PgConfigCarry.Out::after).findFirst().orElse("");
    }

    /** No rules could be made (the failure is in the pre-flight already): no login can be proven. */
    private static PgHba unknownRules() {
        return PgHba.of("the carried pg_hba.conf (it could not be made)", "", "");
    }

    /** The old cluster's settings in effect (its configuration read from the backup; empty when there is none). */
    static Map<String, String> oldSettings(Finding f, Path backupRoot) {
        Path nowhere = Path.of("/nonexistent/dbrescue");
        try {
            return PgConfigCarry.carry(facts(f, backupRoot, nowhere, nowhere, f.getVersion(), 5432, "", "postgres", null))
                    .old();
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
    }

    /**
     * The dump path moves databases into a server that keeps running with its own configuration (it may serve
     * others): the old cluster's server settings are not applied there. The pre-flight lists the ones whose value
     * differs from the target's, with how to apply one, and where the old login rules are.
     */
    static void dumpPathNote(Finding f, Path backupRoot, PgRestoreTarget t, PlanContext ctx) {
        Map<String, String> old = new LinkedHashMap<>(oldSettings(f, backupRoot));
        if (old.isEmpty()) {
            return;
        }
        List<String> differ = new ArrayList<>();
        try (java.sql.Connection c = t.connect("postgres");
             java.sql.PreparedStatement q = c.prepareStatement("SELECT current_setting(?, true)")) {
            for (Map.Entry<String, String> e : old.entrySet()) {
                if (BOUND.contains(e.getKey()) || e.getKey().startsWith("lc_") || PgConf.INCLUDES.contains(e.getKey())) {
                    continue;
                }
                q.setString(1, e.getKey());
                try (java.sql.ResultSet r = q.executeQuery()) {
                    String now = r.next() ? r.getString(1) : null;
                    if (now != null && !same(now, e.getValue())) {
                        differ.add(e.getKey() + " = '" + e.getValue() + "' (here: '" + now + "')");
                    }
                }
            }
        } catch (java.sql.SQLException e) {
            return; // the server check already said why it cannot be asked
        }
        if (differ.isEmpty()) {
            ctx.pass("configuration", "The old cluster's server settings match those of " + t.where() + ".");
            return;
        }
        ctx.warn("configuration", "The databases move into a server that keeps its own configuration (it may serve "
                + "other databases); the old cluster's server settings that differ from it are not applied: "
                + String.join(", ", differ.subList(0, Math.min(15, differ.size())))
                + (differ.size() > 15 ? " and " + (differ.size() - 15) + " more" : "") + ".",
                "To apply one after the move: ALTER SYSTEM SET name = 'value'; then SELECT pg_reload_conf() (a restart "
                        + "for the marked-restart ones). The old login rules are in the backup's pg_hba.conf beside "
                        + f.getDetails().getOrDefault("configPath", "the old data directory") + "; roles and their "
                        + "passwords move with the data.");
    }

    /** Settings that name this machine's places or ports: never suggested from the old system. */
    private static final java.util.Set<String> BOUND = java.util.Set.of("data_directory", "hba_file", "ident_file",
            "external_pid_file", "port", "unix_socket_directories", "unix_socket_directory", "cluster_name",
            "listen_addresses", "ssl_cert_file", "ssl_key_file", "ssl_ca_file", "ssl_crl_file", "ssl_crl_dir",
            "ssl_dh_params_file", "stats_temp_directory", "log_directory", "config_file", "shared_preload_libraries");

    /** '128MB' and 128MB, 'iso, mdy' and ISO, MDY: the same. */
    private static boolean same(String a, String b) {
        return a.replaceAll("[\\s']", "").equalsIgnoreCase(b.replaceAll("[\\s']", ""));
    }

    /** Debian's /etc/postgresql/N/NAME when the target cluster keeps its configuration there; else the data dir. */
    static Path separateConfigDir(Path data, InstalledServer.Cluster cluster) {
        if (cluster != null && cluster.configFile() != null && data.equals(cluster.dataDir())
                && !cluster.configFile().getParent().equals(data)) {
            return cluster.configFile().getParent();
        }
        return data;
    }

    private static PgConfigCarry.Facts facts(Finding f, Path backupRoot, Path data, Path configDir, String newMajor,
                                             int port, String sockets, String runAs, Path fallback) {
        Path sourceData = backupRoot.resolve(f.getPath()).normalize();
        Object cp = f.getDetails().get("configPath");
        Path sourceConf = cp == null ? null : backupRoot.resolve(String.valueOf(cp)).normalize();
        if (sourceConf != null && !Files.isRegularFile(sourceConf, LinkOption.NOFOLLOW_LINKS)) {
            sourceConf = null;
        }
        String oldData = oldDataDir(f, sourceData, sourceConf);
        String oldRoot = oldRoot(backupRoot, sourceData, sourceConf, oldData);
        String superuser = String.valueOf(f.getDetails().getOrDefault("superuser", "postgres"));
        List<String> roles = PgContainerPlan.roleNames(f);
        String role = runAs.equals(superuser) || roles.contains(runAs) || roles.isEmpty() ? runAs : superuser;
        return new PgConfigCarry.Facts(sourceData.toString(), sourceConf == null ? null : sourceConf.toString(), oldRoot,
                oldData, f.getVersion(), newMajor, configDir.toString(), data.toString(), port, sockets, runAs, role,
                keep(configDir, data), fallback == null ? null : fallback.toString());
    }

    /** The old data directory's path on the old system: Debian's data_directory, postmaster.opts' -D, or a guess. */
    private static String oldDataDir(Finding f, Path sourceData, Path sourceConf) {
        if (sourceConf != null && !sourceConf.getParent().equals(sourceData)) {
            try {
                String v = PgConf.parse(PgConfigCarry.read(sourceConf)).get("data_directory");
                if (v != null && v.startsWith("/")) {
                    return v;
                }
            } catch (IOException e) {
                // the guess below
            }
        }
        try {
            List<String> opts = PgServer.lastOptions(sourceData);
            int d = opts == null ? -1 : opts.indexOf("-D");
            if (d >= 0 && d + 1 < opts.size() && opts.get(d + 1).startsWith("/")) {
                return Path.of(opts.get(d + 1)).normalize().toString();
            }
        } catch (IOException e) {
            // the guess below
        }
        return "/" + f.getPath();
    }

    /** The folder of the backup that was the old system's "/" (so /etc/... of the old system can be found in it). */
    private static String oldRoot(Path backupRoot, Path sourceData, Path sourceConf, String oldData) {
        if (sourceConf != null) {
            Matcher m = DEBIAN_CONF.matcher(backupRoot.relativize(sourceConf).toString());
            if (m.matches()) {
                return (m.group(1) == null ? backupRoot : backupRoot.resolve(m.group(1))).toString();
            }
        }
        Path rel = Path.of("/").relativize(Path.of(oldData));
        if (rel.getNameCount() > 0 && sourceData.endsWith(rel) && sourceData.getNameCount() > rel.getNameCount()) {
            return sourceData.getRoot().resolve(sourceData.subpath(0, sourceData.getNameCount() - rel.getNameCount()))
                    .toString();
        }
        return null;
    }

    /** The target's own values of the settings that belong to this machine (files only when they exist here). */
    private static Map<String, String> keep(Path configDir, Path data) {
        Map<String, String> out = new LinkedHashMap<>();
        Path own = configDir.resolve("postgresql.conf");
        if (!Files.isRegularFile(own, LinkOption.NOFOLLOW_LINKS)) {
            return out;
        }
        try {
            PgConf c = PgConf.parse(PgConfigCarry.read(own));
            for (String name : KEEP) {
                String v = c.get(name);
                if (v != null && !v.isEmpty() && (!name.startsWith("ssl_") || Files.exists(data.resolve(v)))) {
                    out.put(name, v);
                }
            }
        } catch (IOException e) {
            // none kept: the old values stay, or are turned off when they name what is not here
        }
        return out;
    }

    /** The old unix_socket_directories: null when it was not set (the build's default, a socket). */
    private static String oldSockets(PgConfigCarry.Result r) {
        return r.old().containsKey("unix_socket_directories") ? r.old().get("unix_socket_directories")
                : r.old().get("unix_socket_directory");
    }

    /**
     * The socket folders of the restored server: none only when the old one had none; else the old folders that
     * exist here and the server's user can write, else Debian's /var/run/postgresql when that user owns it, else
     * /tmp (the default of PostgreSQL's own builds) — never no socket when the old server had one.
     */
    static String sockets(String old, String runAs) {
        if (old != null && old.isBlank()) {
            return "";
        }
        List<String> kept = new ArrayList<>();
        if (old != null) {
            for (String d : old.split(",")) {
                String dir = d.strip().replaceAll("^\"|\"$", "");
                if (!dir.isEmpty() && dir.startsWith("/") && writableBy(Path.of(dir), runAs)) {
                    kept.add(dir);
                }
            }
        }
        if (!kept.isEmpty()) {
            return kept.get(0); // one folder: the start passes it on the command line as one
        }
        String debian = PgTargetServers.socketDir(runAs);
        return debian.isEmpty() ? "/tmp" : debian;
    }

    private static boolean writableBy(Path dir, String user) {
        try {
            PosixFileAttributes a = Files.readAttributes(dir, PosixFileAttributes.class);
            return a.isDirectory() && (a.owner().getName().equals(user) && a.permissions().contains(PosixFilePermission.OWNER_WRITE)
                    || a.permissions().contains(PosixFilePermission.OTHERS_WRITE));
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static void checks(PlanContext ctx, PgConfigCarry.Result r, Path configDir, String newMajor, Path newBin,
                               String sockets) {
        boolean attention = r.notes().stream().anyMatch(n -> n.contains("added first") || n.contains("ssl = off")
                || n.contains("is turned off"));
        String what = "The old cluster's configuration (" + r.source() + ") is carried into " + configDir
                + (r.notes().isEmpty() ? " as it was" : ", adapted: " + String.join("; ", r.notes())) + ".";
        if (attention) {
            ctx.warn("configuration", what, "Read the differences under the pg-config step; the old files in the "
                    + "backup are not changed.");
        } else {
            ctx.pass("configuration", what);
        }
        ctx.pass("socket", sockets.isEmpty() ? "The old server had no Unix socket; neither has the restored one."
                : "The restored server's Unix socket goes in " + sockets + ".");
        preload(ctx, r.preload(), newMajor, newBin);
        locales(ctx, r.old());
    }

    /** Every library the carried shared_preload_libraries names must be here, or the server will not start. */
    static void preload(PlanContext ctx, String preload, String newMajor, Path newBin) {
        List<String> libs = libraries(preload);
        if (libs.isEmpty()) {
            return;
        }
        List<String> missing = libs.stream().filter(l -> !hasLibrary(newBin, l)).toList();
        if (missing.isEmpty()) {
            ctx.pass("preload-libraries", "shared_preload_libraries = '" + preload + "' is kept; PostgreSQL " + newMajor
                    + " here has " + String.join(", ", libs) + ".");
        } else {
            ctx.fail("preload-libraries", "The old configuration preloads " + String.join(", ", missing)
                    + ", which PostgreSQL " + newMajor + " here does not have (" + newBin.getParent() + "): the server "
                    + "would not start.", String.join(" ", missing.stream()
                    .map(l -> PgRestoreTools.extensionHint(l.replaceAll("-\\d+$", ""), newMajor)).toList())
                    + " Then run again; nothing was touched.");
        }
    }

    /** The names in a shared_preload_libraries value ("$libdir/pg_stat_statements", "auto_explain.so" → bare). */
    static List<String> libraries(String preload) {
        List<String> out = new ArrayList<>();
        if (preload == null) {
            return out;
        }
        for (String p : preload.split(",")) {
            String n = p.strip().replaceAll("^\"|\"$", "");
            n = n.substring(n.lastIndexOf('/') + 1).replaceAll("\\.so$", "");
            if (!n.isEmpty()) {
                out.add(n);
            }
        }
        return out;
    }

    /** NAME.so in the version's library folder: Debian's lib/, PostgreSQL's own builds' lib/postgresql/. */
    static boolean hasLibrary(Path bin, String name) {
        Path home = bin.getParent();
        return home != null && (Files.exists(home.resolve("lib").resolve(name + ".so"))
                || Files.exists(home.resolve("lib/postgresql").resolve(name + ".so")));
    }

    /** lc_messages and the like must name a locale this machine has, or the server stops at start. */
    private static void locales(PlanContext ctx, Map<String, String> old) {
        List<String> have = null;
        for (String name : MESSAGE_LOCALES) {
            String v = old.get(name);
            if (v == null || v.isEmpty() || v.equals("C") || v.equals("POSIX")) {
                continue;
            }
            if (have == null) {
                have = installedLocales();
            }
            if (have != null && !have.contains(normal(v))) {
                ctx.fail("locale", "The old configuration sets " + name + " = '" + v + "', a locale this machine does not "
                        + "have: the server would not start.", "Make it: sudo localedef -i " + v.replaceAll("\\..*", "")
                        + " -f UTF-8 " + v + " (Debian: sudo dpkg-reconfigure locales), then run again.");
                return;
            }
        }
    }

    private static List<String> installedLocales() {
        try {
            io.dbrescue.run.Exec.Result r = io.dbrescue.run.Exec.of(List.of("locale", "-a"))
                    .timeout(java.time.Duration.ofSeconds(10)).run(null);
            return r.ok() ? r.stdoutTail().lines().map(PgConfigPlan::normal).toList() : null;
        } catch (Exception e) {
            return null;
        }
    }

    /** en_US.UTF-8 and en_US.utf8 are the same locale. */
    static String normal(String locale) {
        return locale.strip().toLowerCase(java.util.Locale.ROOT).replace("utf-8", "utf8");
    }
}
