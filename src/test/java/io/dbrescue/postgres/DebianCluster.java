package io.dbrescue.postgres;

import io.dbrescue.testing.Cmd;
import io.dbrescue.testing.FreePorts;
import io.dbrescue.testing.Locales;
import io.dbrescue.testing.TestUser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * The one way the tests make a PostgreSQL 15 cluster as Debian 12's postgresql-common makes it
 * ({@code pg_createcluster 15 NAME}: config in /etc/postgresql/15/NAME, data in /var/lib/postgresql/15/NAME, run by
 * the OS user postgres, Debian's pg_hba, no password for postgres), filled, stopped and copied into a backup the way
 * a file backup has it — /etc/postgresql/15/NAME as etc/postgresql/15/main, the data as var/lib/postgresql/15/main —
 * then dropped again. {@link #plain} leaves it as the package makes it; {@link #make} puts a user's configuration
 * on top (locale en_US.UTF-8 unless told otherwise): a password login for clerk from 127.0.0.1, a local peer
 * login of the OS user dbrescue-test as clerk through a pg_ident map, a conf.d file (work_mem, preloaded
 * pg_stat_statements, settings PostgreSQL 16+ no longer knows), an ALTER SYSTEM setting, and the postgres
 * role with a password (dbrescue's logins on main need one).
 */
final class DebianCluster {
    static final String SELECT = "var/lib/postgresql/15/main";
    static final String POSTGRES_PASSWORD = "pg-secret-15";
    static final String CLERK_PASSWORD = "ledger-secret";
    /** Lines put first in the old pg_hba.conf (Debian's own lines stay below them). */
    static final String CUSTOM_HBA = "local   ledger          clerk                                   peer map=office\n"
            + "host    ledger          clerk           127.0.0.1/32            scram-sha-256\n";
    static final String CONF_D = "work_mem = '12MB'\nshared_preload_libraries = 'pg_stat_statements'\n";

    private DebianCluster() {
    }

    /**
     * Makes the cluster, lets {@code fill} add data (SQL as postgres through the socket), stops it and copies it
     * into {@code backup}. {@code extraConf} goes into the conf.d file too.
     */
    static void make(Path backup, String extraConf, Consumer<Sql> fill) throws IOException {
        make(backup, Locales.EN_US, extraConf, fill);
    }

    /** As {@link #make(Path, String, Consumer)} with this locale. */
    static void make(Path backup, String locale, String extraConf, Consumer<Sql> fill) throws IOException {
        plain(backup, locale, (etc, port) -> {
            Path hba = etc.resolve("pg_hba.conf");
            Files.writeString(hba, "# the user's own rules\n" + CUSTOM_HBA + Files.readString(hba));
            Files.writeString(etc.resolve("pg_ident.conf"), Files.readString(etc.resolve("pg_ident.conf"))
                    + "office          " + TestUser.NAME + "            clerk\n");
            Files.writeString(etc.resolve("conf.d/tuning.conf"), "# the user's tuning\n" + CONF_D + extraConf);
        }, port -> {
            Sql sql = (db, text) -> sql(port, db, text);
            sql.run("postgres", "ALTER ROLE postgres PASSWORD '" + POSTGRES_PASSWORD + "'");
            sql.run("postgres", "ALTER SYSTEM SET statement_timeout = '42s'");
            sql.run("postgres", "CREATE ROLE clerk LOGIN PASSWORD '" + CLERK_PASSWORD + "'");
            sql.run("postgres", "CREATE DATABASE ledger OWNER clerk");
            sql.run("ledger", "CREATE TABLE entries (id bigint PRIMARY KEY, memo text)");
            sql.run("ledger", "INSERT INTO entries SELECT g, 'memo ' || g FROM generate_series(1, 1234) g");
            sql.run("ledger", "ALTER TABLE entries OWNER TO clerk");
            fill.accept(sql);
        });
    }

    /** Edits of the cluster's /etc folder before its first start. */
    @FunctionalInterface
    interface Configure {
        void accept(Path etc, int port) throws IOException;
    }

    /** Fills the running cluster (SQL as postgres through the socket: {@link #sql(int, String, String)}). */
    @FunctionalInterface
    interface Fill {
        void accept(int port) throws IOException;
    }

    /** The cluster as Debian's package makes it, with this locale: nothing of a user's on top but what fill adds. */
    static void plain(Path backup, String locale, Fill fill) throws IOException {
        plain(backup, locale, (etc, port) -> { }, fill);
    }

    private static void plain(Path backup, String locale, Configure configure, Fill fill) throws IOException {
        Locales.ensure();
        TestUser.ensure();
        String name = "dbrcfg" + ProcessHandle.current().pid() + "x" + System.nanoTime() % 1000;
        int port = FreePorts.next();
        Cmd.run(List.of("pg_createcluster", "15", name, "-p", Integer.toString(port), "--locale", locale));
        try {
            Path etc = Path.of("/etc/postgresql/15", name);
            configure.accept(etc, port);
            Cmd.run(List.of("pg_ctlcluster", "15", name, "start"));
            fill.accept(port);
            Cmd.run(List.of("pg_ctlcluster", "15", name, "stop"));
            Files.createDirectories(backup.resolve("etc/postgresql/15"));
            Files.createDirectories(backup.resolve("var/lib/postgresql/15"));
            Cmd.run(List.of("cp", "-a", etc.toString(), backup.resolve("etc/postgresql/15/main").toString()));
            Cmd.run(List.of("cp", "-a", "/var/lib/postgresql/15/" + name, backup.resolve(SELECT).toString()));
        } finally {
            drop(name);
        }
    }

    /** pg_dropcluster, and what it leaves in /etc (files it did not write: conf.d/tuning.conf, safety copies). */
    static void drop(String name) {
        Cmd.run(List.of("pg_dropcluster", "15", name, "--stop"));
        remove(Path.of("/etc/postgresql/15", name));
    }

    /** Deletes a folder of a test cluster (only those: /etc or /var/lib/postgresql/15/dbr...). */
    static void remove(Path p) {
        boolean ours = p.getFileName().toString().startsWith("dbr") && (p.getParent().equals(Path.of("/etc/postgresql/15"))
                || p.getParent().equals(Path.of("/var/lib/postgresql/15")));
        if (ours && Files.exists(p)) {
            Cmd.run(List.of("rm", "-rf", "--one-file-system", p.toString()));
        }
    }

    /** SQL as the OS user postgres through the socket, as on a Debian machine. */
    @FunctionalInterface
    interface Sql {
        String run(String db, String sql);
    }

    static String sql(int port, String db, String sql) {
        return Cmd.run(List.of("runuser", "-u", "postgres", "--", "/usr/lib/postgresql/15/bin/psql", "-X", "-A", "-t",
                "-q", "-v", "ON_ERROR_STOP=1", "-h", "/var/run/postgresql", "-p", Integer.toString(port), "-d", db,
                "-c", sql)).strip();
    }

    /** psql over TCP from 127.0.0.1 with a password. */
    static String withPassword(int port, String user, String password, String db, String sql) {
        return Cmd.run(List.of("/usr/lib/postgresql/15/bin/psql", "-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1",
                "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", user, "-d", db, "-c", sql), null,
                java.util.Map.of("PGPASSWORD", password)).strip();
    }

    /** psql through the socket as an OS user (peer), as a role. */
    static String peer(String osUser, int port, String role, String db, String sql) {
        return Cmd.run(List.of("runuser", "-u", osUser, "--", "/usr/lib/postgresql/15/bin/psql", "-X", "-A", "-t",
                "-q", "-v", "ON_ERROR_STOP=1", "-h", "/var/run/postgresql", "-p", Integer.toString(port), "-U", role,
                "-d", db, "-c", sql), Path.of("/"), java.util.Map.of("LC_ALL", "C")).strip();
    }
}
