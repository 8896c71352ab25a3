package io.dbrescue.postgres;

import io.dbrescue.run.Secrets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What a pg_hba.conf says about one of dbrescue's own logins, read without a server (for a cluster that does not
 * run yet: the one a restore or an upgrade is about to start). As PostgreSQL does, the first line that matches
 * the connection type, the database (postgres, which dbrescue connects to first) and the role decides. Only
 * what can be told for sure lets a login in: group (+role) and file (@file) entries, regular expressions and
 * ident maps are not followed, so such a line counts as "cannot tell" rather than as a yes.
 */
final class PgHba {
    /** dbrescue's own minimal pg_hba.conf, written when a data directory comes without one. */
    static final List<String> DEFAULT = List.of("local all all peer", "host all all 127.0.0.1/32 scram-sha-256");
    private static final List<String> PASSWORD_METHODS = List.of("scram-sha-256", "md5", "password");

    private PgHba() {
    }

    /**
     * The answer for one login.
     *
     * @param in   whether the login gets in (peer or trust; a password method when a password is at hand)
     * @param said in words, for the pre-flight
     */
    record Verdict(boolean in, String said) {
    }

    /** Through the socket, by peer as the OS user named like the role (or trust). */
    static Verdict local(String hbaFile, String role, Secrets secrets) {
        return first(hbaFile, role, true, secrets);
    }

    /** Over TCP from 127.0.0.1 (trust, or a password method with a password at hand). */
    static Verdict loopback(String hbaFile, String role, Secrets secrets) {
        return first(hbaFile, role, false, secrets);
    }

    private static Verdict first(String hbaFile, String role, boolean socket, Secrets secrets) {
        String name = hbaFile == null ? "dbrescue's default pg_hba.conf" : "pg_hba.conf (" + hbaFile + ")";
        List<String> lines;
        try {
            lines = hbaFile == null ? DEFAULT : Files.readAllLines(Path.of(hbaFile));
        } catch (IOException e) {
            return new Verdict(false, name + " could not be read (" + e.getMessage() + ")");
        }
        for (String raw : lines) {
            String[] w = raw.replaceAll("#.*", "").strip().split("\\s+");
            int methodAt = socket ? 3 : 4;
            if (w.length <= methodAt || !type(w[0], socket) || !matches(w[1], "postgres") || !matches(w[2], role)
                    || !socket && !loopback(w[3])) {
                continue;
            }
            String method = w[methodAt];
            boolean withPassword = PASSWORD_METHODS.contains(method) && PgLogin.passwordAtHand(secrets);
            boolean in = method.equals("trust") || socket && method.equals("peer") && !raw.contains("map=")
                    || withPassword;
            return new Verdict(in, name + (in ? " lets " + role + " in by " + method : " asks " + role + " for '"
                    + method + "'" + (PASSWORD_METHODS.contains(method) ? " and no password was given" : ""))
                    + (socket ? " through the socket" : " over TCP from 127.0.0.1"));
        }
        return new Verdict(false, name + " has no " + (socket ? "local" : "127.0.0.1") + " line for " + role);
    }

    private static boolean type(String t, boolean socket) {
        return socket ? t.equals("local") : t.equals("host") || t.equals("hostnossl");
    }

    private static boolean loopback(String address) {
        return address.equals("all") || address.equals("samehost") || address.equals("localhost")
                || address.equals("0.0.0.0/0") || address.startsWith("127.");
    }

    private static boolean matches(String field, String name) {
        for (String v : field.split(",")) {
            if (v.equals("all") || v.equals(name) || v.equals("sameuser") || v.equals("\"" + name + "\"")) {
                return true;
            }
        }
        return false;
    }
}
