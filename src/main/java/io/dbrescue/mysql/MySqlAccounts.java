package io.dbrescue.mysql;

import io.dbrescue.run.StepFailure;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The accounts (users and roles) of a MariaDB / MySQL server and their grants, read as the server itself
 * writes them: {@code SHOW CREATE USER} (the authentication, password hash included) and {@code SHOW GRANTS}.
 * System accounts are left alone: root (any host), mariadb.sys, PUBLIC, the mysql.* accounts, Debian's
 * debian-sys-maint and mysql@localhost (the service user's unix_socket login), and anonymous users.
 *
 * <p>An old server started with --skip-grant-tables (so that dbrescue gets in whatever root's password was)
 * cannot SHOW its accounts; {@code FLUSH PRIVILEGES} loads the grant tables again, and the session that ran it
 * keeps the rights it had — so the accounts are read in that one session. The statements carry password
 * hashes: they go to the server on standard input and to files of mode 0600 only, never to a log.
 */
final class MySqlAccounts {
    private static final String MARK = "--8<-- dbrescue account ";

    private MySqlAccounts() {
    }

    /**
     * One account.
     *
     * @param user   user (or role) name
     * @param host   host part ("" for a role)
     * @param role   whether it is a role
     * @param create the statement that makes it (CREATE USER ... IDENTIFIED ..., CREATE ROLE ...)
     * @param grants what SHOW GRANTS says of it
     */
    record Account(String user, String host, boolean role, String create, List<String> grants) {
        /** 'app'@'localhost', or 'reader' for a role: as SQL names it. */
        String sqlName() {
            return role ? MySqlClient.literal(user) : MySqlClient.literal(user) + "@" + MySqlClient.literal(host);
        }

        /** app@localhost, as people read it. */
        String display() {
            return role ? user + " (role)" : user + "@" + host;
        }

        /** Same authentication and the same grants (in any order). */
        boolean sameAs(Account other) {
            return other != null && normal(create).equals(normal(other.create))
                    && new TreeSet<>(grants.stream().map(MySqlAccounts::normal).toList())
                    .equals(new TreeSet<>(other.grants.stream().map(MySqlAccounts::normal).toList()));
        }
    }

    /** Whether this is an account of the server itself (or the system), which dbrescue never moves. */
    static boolean system(String user, String host) {
        String u = user.toLowerCase(Locale.ROOT);
        return u.isEmpty() || u.equals("root") || u.equals("mariadb.sys") || u.equals("public") || u.startsWith("mysql.")
                || u.equals("debian-sys-maint") || u.equals("mysql") && "localhost".equals(host);
    }

    /** user@host of every account of the server: [user, host, role "Y"/"N"]. */
    static List<String[]> names(MySqlClient c, MySqlClient.ServerVersion v) throws StepFailure, IOException,
            InterruptedException {
        // MariaDB keeps roles in mysql.user too (is_role, since 10.0.5); MySQL's roles are plain accounts
        String roleColumn = v.mariadb() ? "is_role" : "'N'";
        return c.query("SELECT User, Host, " + roleColumn + " FROM mysql.user ORDER BY User, Host");
    }

    /** Whether the server has SHOW CREATE USER (MariaDB 10.2, MySQL 5.7.6). */
    static boolean hasShowCreateUser(MySqlClient.ServerVersion v) {
        String[] p = v.version().split("\\.");
        int major = Integer.parseInt(p[0]);
        int minor = p.length > 1 ? Integer.parseInt(p[1]) : 0;
        int patch = p.length > 2 ? Integer.parseInt(p[2].replaceAll("\\D.*", "")) : 0;
        return v.mariadb() ? major > 10 || major == 10 && minor >= 2
                : major > 5 || major == 5 && (minor > 7 || minor == 7 && patch >= 6);
    }

    /**
     * Reads the accounts of these names in ONE session: FLUSH PRIVILEGES first when the server runs with
     * --skip-grant-tables (flush = true), then SHOW CREATE USER and SHOW GRANTS for each.
     */
    static List<Account> read(MySqlClient c, MySqlClient.ServerVersion v, List<String[]> names, boolean flush)
            throws StepFailure, IOException, InterruptedException {
        if (names.isEmpty()) {
            return List.of();
        }
        boolean showCreate = hasShowCreateUser(v);
        StringBuilder sql = new StringBuilder(flush ? "FLUSH PRIVILEGES;\n" : "");
        for (int i = 0; i < names.size(); i++) {
            String[] n = names.get(i);
            boolean role = "Y".equalsIgnoreCase(n[2]);
            String name = role ? MySqlClient.literal(n[0]) : MySqlClient.literal(n[0]) + "@" + MySqlClient.literal(n[1]);
            sql.append("SELECT '").append(MARK).append(i).append("';\n");
            if (!role && showCreate) {
                sql.append("SHOW CREATE USER ").append(name).append(";\n");
            }
            sql.append("SHOW GRANTS FOR ").append(name).append(";\n");
        }
        List<List<String>> blocks = new ArrayList<>();
        for (String[] row : c.script(sql.toString())) {
            if (row[0].startsWith(MARK)) {
                blocks.add(new ArrayList<>());
            } else if (!blocks.isEmpty()) {
                blocks.get(blocks.size() - 1).add(row[0]);
            }
        }
        List<Account> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String[] n = names.get(i);
            boolean role = "Y".equalsIgnoreCase(n[2]);
            List<String> rows = i < blocks.size() ? blocks.get(i) : List.of();
            String create;
            List<String> grants;
            if (role) {
                create = "CREATE ROLE " + MySqlClient.literal(n[0]);
                grants = rows;
            } else if (showCreate && !rows.isEmpty()) {
                create = rows.get(0);
                grants = rows.subList(1, rows.size());
            } else {
                create = "CREATE USER " + MySqlClient.literal(n[0]) + "@" + MySqlClient.literal(n[1]);
                grants = rows; // GRANT USAGE ... IDENTIFIED BY PASSWORD '...' sets the password
            }
            out.add(new Account(n[0], n[1], role, create, List.copyOf(grants)));
        }
        return out;
    }

    /**
     * The SQL that makes these accounts on the target: roles and users first, then the grants (a grant of a role
     * needs the role; table grants need the tables, so this runs after the databases are loaded). Accounts to
     * replace are dropped first.
     */
    static String script(List<Account> accounts, Set<String> replace) {
        StringBuilder b = new StringBuilder("-- accounts moved by dbrescue (password hashes: keep this file private)\n");
        for (boolean roles : new boolean[] {true, false}) {
            for (Account a : accounts) {
                if (a.role() != roles) {
                    continue;
                }
                if (replace.contains(a.display())) {
                    b.append(a.role() ? "DROP ROLE IF EXISTS " : "DROP USER IF EXISTS ").append(a.sqlName()).append(";\n");
                }
                b.append(a.create()).append(";\n");
            }
        }
        for (boolean roles : new boolean[] {true, false}) {
            for (Account a : accounts) {
                if (a.role() == roles) {
                    a.grants().forEach(g -> b.append(g).append(";\n"));
                }
            }
        }
        return b.toString();
    }

    /** The accounts by display name. */
    static Map<String, Account> byName(List<Account> accounts) {
        Map<String, Account> m = new LinkedHashMap<>();
        accounts.forEach(a -> m.put(a.display(), a));
        return m;
    }

    private static final java.util.regex.Pattern COLUMNS = java.util.regex.Pattern.compile("\\(([^()]*)\\)");

    /**
     * A statement as compared: blanks collapsed and column lists sorted — a server lists the columns of a column
     * grant in no fixed order (10.11 wrote (`first_name`, `last_name`), 11.4 (`last_name`, `first_name`)).
     */
    static String normal(String statement) {
        String s = statement.strip().replaceAll("\\s+", " ");
        java.util.regex.Matcher m = COLUMNS.matcher(s);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            List<String> cols = new ArrayList<>(List.of(m.group(1).split(",\\s*")));
            java.util.Collections.sort(cols);
            m.appendReplacement(b, java.util.regex.Matcher.quoteReplacement("(" + String.join(", ", cols) + ")"));
        }
        m.appendTail(b);
        return b.toString();
    }
}
