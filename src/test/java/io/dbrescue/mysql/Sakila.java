package io.dbrescue.mysql;

import io.dbrescue.testing.Cmd;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * MySQL's public Sakila sample database (src/test/resources/sakila, see its README) in a real server: loaded as
 * an application account, so that its views, triggers and routines have that account as DEFINER; and what a
 * server says of it, to compare two servers after a recovery.
 */
final class Sakila {
    static final String APP = "sakila_app";
    static final String APP_PASSWORD = "rental-4-ever";
    static final Path SCHEMA = Path.of("src/test/resources/sakila/sakila-mv-schema.sql");
    static final Path DATA = Path.of("src/test/resources/sakila/sakila-mv-data.sql");
    /** Its tables (the spatial address.location column is left out by the file on MariaDB, as it says). */
    static final List<String> TABLES = List.of("actor", "address", "category", "city", "country", "customer", "film",
            "film_actor", "film_category", "film_text", "inventory", "language", "payment", "rental", "staff", "store");

    private Sakila() {
    }

    /**
     * The account (with its password and all rights on sakila.*) made as root, then the schema and data loaded as
     * that account (its password through MYSQL_PWD, as a user's script would).
     */
    static void load(Path socket, String client) throws Exception {
        sql(socket, client, "CREATE USER " + APP + "@localhost IDENTIFIED BY '" + APP_PASSWORD + "'; "
                + "GRANT ALL ON sakila.* TO " + APP + "@localhost; CREATE DATABASE sakila");
        for (Path file : List.of(SCHEMA, DATA)) {
            ProcessBuilder pb = new ProcessBuilder(client, "--no-defaults", "-S", socket.toString(), "-u" + APP)
                    .redirectInput(file.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(new File("target/sakila-load.log")));
            pb.environment().put("MYSQL_PWD", APP_PASSWORD);
            Process p = pb.start();
            if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new AssertionError("loading " + file + " failed; see target/sakila-load.log");
            }
        }
    }

    static String utf8mb3(String s) {
        return s.replaceAll("\\butf8(?![0-9a-z])", "utf8mb3");
    }

    static String sql(Path socket, String client, String sql) {
        return Cmd.run(List.of(client, "--no-defaults", "--default-character-set=utf8mb4", "-S", socket.toString(), "-uroot", "-N", "-B", "-e", sql)).trim();
    }

    /**
     * What a server says of sakila: per table its row count, CHECKSUM TABLE and SHOW CREATE TABLE; the view,
     * routine and trigger names with their definers.
     */
    static Map<String, String> fingerprint(Path socket, String client) {
        Map<String, String> out = new TreeMap<>();
        for (String t : TABLES) {
            out.put(t + " rows", sql(socket, client, "SELECT COUNT(*) FROM sakila." + t));
            out.put(t + " checksum", sql(socket, client, "CHECKSUM TABLE sakila." + t).split("\t")[1]);
            out.put(t + " create", sql(socket, client, "SHOW CREATE TABLE sakila." + t).split("\t", 2)[1]);
        }
        out.put("views", sql(socket, client, "SELECT TABLE_NAME, DEFINER FROM information_schema.VIEWS "
                + "WHERE TABLE_SCHEMA = 'sakila' ORDER BY 1"));
        out.put("routines", sql(socket, client, "SELECT ROUTINE_NAME, DEFINER FROM information_schema.ROUTINES "
                + "WHERE ROUTINE_SCHEMA = 'sakila' ORDER BY 1"));
        out.put("triggers", sql(socket, client, "SELECT TRIGGER_NAME, DEFINER FROM information_schema.TRIGGERS "
                + "WHERE TRIGGER_SCHEMA = 'sakila' ORDER BY 1"));
        return out;
    }

    /**
     * What differs between two fingerprints. One spelling is the same thing: MariaDB 10.6 renamed the character set
     * utf8 to utf8mb3 (and utf8_general_ci to utf8mb3_general_ci), so a 10.5 server's SHOW CREATE TABLE says utf8
     * where a newer one says utf8mb3 for the very same table.
     */
    static List<String> differences(Map<String, String> a, Map<String, String> b) {
        List<String> d = new ArrayList<>();
        a.forEach((k, v) -> {
            if (!utf8mb3(v).equals(b.get(k) == null ? null : utf8mb3(b.get(k)))) {
                d.add(k + ":\n  before: " + v + "\n  after:  " + b.get(k));
            }
        });
        return d;
    }
}
