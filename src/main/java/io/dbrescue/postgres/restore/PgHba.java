package io.dbrescue.postgres.restore;

import java.util.List;
import java.util.Locale;

/**
 * What a pg_hba.conf (with its pg_ident.conf) says about one of dbrescue's own logins, read without a server: for
 * a cluster that does not run yet — the one a restore or an upgrade is about to start, whose rules are the carried
 * ones ({@link PgConfigCarry}), not the backup's as they were nor the target's. As PostgreSQL does, the first line
 * that matches the connection type, the database (postgres, which dbrescue connects to first) and the role decides.
 * Only what can be told for sure lets a login in: a group (+role) or file (@file) entry, a regular expression or a
 * map line that is not literal counts as "cannot tell", never as a yes.
 */
final class PgHba {
    private static final List<String> PASSWORD_METHODS = List.of("scram-sha-256", "md5", "password");

    private final String name;
    private final String hba;
    private final String ident;

    private PgHba(String name, String hba, String ident) {
        this.name = name;
        this.hba = hba;
        this.ident = ident;
    }

    /** The rules of a pg_hba.conf text and its pg_ident.conf text; {@code name} says which, in the pre-flight. */
    static PgHba of(String name, String hba, String ident) {
        return new PgHba(name, hba == null ? "" : hba, ident == null ? "" : ident);
    }

    /**
     * The answer for one login.
     *
     * @param in       whether the login gets in (trust, peer as the right OS user, or a password method with a
     *                 password at hand)
     * @param password whether it gets in only with a password (which cannot be tried before the cluster runs)
     * @param said     in words, for the pre-flight
     */
    record Verdict(boolean in, boolean password, String said) {
    }

    /** Through the socket as the OS user {@code osUser}: trust, or peer / ident by the same name or through a map. */
    Verdict local(String role, String osUser, io.dbrescue.run.Secrets secrets) {
        return first(role, osUser, true, secrets);
    }

    /** Over TCP from 127.0.0.1: trust, or a password method with a password at hand. */
    Verdict loopback(String role, io.dbrescue.run.Secrets secrets) {
        return first(role, null, false, secrets);
    }

    private Verdict first(String role, String osUser, boolean socket, io.dbrescue.run.Secrets secrets) {
        String how = socket ? " through the socket" : " over TCP from 127.0.0.1";
        for (String raw : hba.split("\n")) {
            List<String> w = PgAuthRules.fields(raw);
            if (w.size() < 4 || !type(w.get(0), socket)) {
                continue;
            }
            int methodAt = socket ? 3 : hostMethodAt(w);
            Boolean db = matches(w.get(1), "postgres", role);
            Boolean user = matches(w.get(2), role, role);
            if (w.size() <= methodAt || Boolean.FALSE.equals(db) || Boolean.FALSE.equals(user)
                    || !socket && !loopbackAddress(w.get(3))) {
                continue;
            }
            if (db == null || user == null) {
                return new Verdict(false, false, name + " cannot be judged here for " + role + how + ": the line '"
                        + raw.strip() + "' names a group, a file or a pattern");
            }
            return method(w, methodAt, role, osUser, socket, how, secrets);
        }
        return new Verdict(false, false, name + " has no " + (socket ? "local" : "127.0.0.1") + " line for " + role);
    }

    private Verdict method(List<String> w, int at, String role, String osUser, boolean socket, String how,
                           io.dbrescue.run.Secrets secrets) {
        String method = w.get(at).toLowerCase(Locale.ROOT);
        String map = w.stream().skip(at + 1).filter(o -> o.startsWith("map=")).map(o -> o.substring(4)).findFirst()
                .orElse(null);
        boolean password = PASSWORD_METHODS.contains(method);
        boolean in;
        String as = "";
        if (method.equals("trust")) {
            in = true;
        } else if (socket && (method.equals("peer") || method.equals("ident"))) {
            in = map == null ? role.equals(osUser) : PgAuthRules.mapped(ident, map, osUser, role);
            as = " as the OS user " + osUser + (map == null ? "" : " (map " + map + ")");
        } else {
            in = password && PgLogin.passwordAtHand(secrets);
        }
        String said = in ? " lets " + role + " in by " + method + as
                : " asks " + role + " for '" + method + "'" + as + (password ? " and no password was given"
                : method.equals("peer") || method.equals("ident") ? ", which that OS user does not pass" : "");
        return new Verdict(in, in && password, name + said + how);
    }

    private static boolean type(String t, boolean socket) {
        return socket ? t.equals("local") : t.equals("host") || t.equals("hostnossl") || t.equals("hostnogssenc");
    }

    /** host lines: ADDRESS/BITS METHOD, or ADDRESS MASK METHOD. */
    private static int hostMethodAt(List<String> w) {
        String a = w.get(3);
        return !a.contains("/") && a.matches("[0-9.]+|[0-9a-fA-F:]+") && w.size() > 5 ? 5 : 4;
    }

    private static boolean loopbackAddress(String address) {
        return address.equals("all") || address.equals("samehost") || address.equals("localhost")
                || address.equals("0.0.0.0/0") || address.startsWith("127.");
    }

    /** TRUE, FALSE, or null for "cannot tell here" (+group, @file, a regular expression). */
    private static Boolean matches(String field, String name, String role) {
        boolean unknown = false;
        for (String v : field.split(",")) {
            boolean quoted = v.length() > 1 && v.startsWith("\"") && v.endsWith("\"");
            String x = quoted ? v.substring(1, v.length() - 1) : v;
            if (!quoted && (x.equals("all") || (x.equals("sameuser") || x.equals("samerole")) && name.equals(role))
                    || x.equals(name)) {
                return true;
            }
            if (!quoted && (v.startsWith("+") || v.startsWith("@") || v.startsWith("/"))) {
                unknown = true;
            }
        }
        return unknown ? null : Boolean.FALSE;
    }
}
