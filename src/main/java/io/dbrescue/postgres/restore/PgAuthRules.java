package io.dbrescue.postgres.restore;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The old cluster's login rules (pg_hba.conf, pg_ident.conf) carried to the restored one, with one promise
 * added: the server's OS owner (postgres) still logs in through the socket by peer — the way every
 * distribution's tools (pg_ctlcluster, pg_dumpall in cron, sudo -u postgres psql) and dbrescue itself get in.
 * When the old rules would not let it in that way (the first line that matches is md5, reject, a map that
 * does not name it...), a line {@code local all OWNER peer} goes first, said in a comment and in the
 * pre-flight. Everything else stays as the user wrote it: their roles and passwords came with their data.
 */
final class PgAuthRules {
    /** The map dbrescue adds when the OS owner's name is not a role of the cluster (peer needs one then). */
    static final String MAP = "dbrescue_owner";

    private PgAuthRules() {
    }

    /** What the owner promise needed. */
    record Result(String hba, String ident, String added) {
    }

    /**
     * The rules with the owner promise kept: {@code owner} is the OS user that runs the server, {@code role}
     * the role it logs in as (the same name, or the cluster's superuser through a map when no role has the
     * owner's name).
     */
    static Result keepOwner(String hba, String ident, String owner, String role) {
        if (ownerGetsIn(hba, ident, owner, role)) {
            return new Result(hba, ident, null);
        }
        String why = "# dbrescue: the server's OS user " + owner + " logs in by peer through the socket, as the "
                + "system's tools do (the old rules did not let it in that way)";
        if (owner.equals(role)) {
            String line = "local   all             " + role + "                                peer";
            return new Result(why + "\n" + line + "\n" + hba, ident, line);
        }
        String line = "local   all             " + role + "                                peer map=" + MAP;
        String mapLine = MAP + "\t" + owner + "\t" + role;
        String newIdent = ident + (ident.isEmpty() || ident.endsWith("\n") ? "" : "\n")
                + "# dbrescue: the OS user " + owner + " runs the server and logs in as " + role + "\n" + mapLine + "\n";
        return new Result(why + "\n" + line + "\n" + hba, newIdent, line + " (and " + mapLine + " in pg_ident.conf)");
    }

    /**
     * Whether the first rule that matches a socket login of {@code role} into the database postgres lets the OS
     * user {@code owner} in without a password: trust, or peer / ident (local ident is peer) by the same name
     * or through a map line that names both. A rule that cannot be judged without the server (+group,
     * @file, a regular expression) counts as no.
     */
    static boolean ownerGetsIn(String hba, String ident, String owner, String role) {
        for (String raw : hba.split("\n")) {
            List<String> w = fields(raw);
            if (w.size() < 4 || !w.get(0).equals("local")) {
                continue;
            }
            Boolean db = matches(w.get(1), "postgres", role);
            Boolean user = matches(w.get(2), role, role);
            if (Boolean.FALSE.equals(db) || Boolean.FALSE.equals(user)) {
                continue;
            }
            if (db == null || user == null) {
                return false; // cannot tell: keep the promise with a line of our own
            }
            String method = w.get(3).toLowerCase(Locale.ROOT);
            String map = w.stream().skip(4).filter(o -> o.startsWith("map=")).map(o -> o.substring(4)).findFirst()
                    .orElse(null);
            if (method.equals("trust")) {
                return true;
            }
            if (method.equals("peer") || method.equals("ident")) {
                return map == null ? owner.equals(role) : mapped(ident, map, owner, role);
            }
            return false;
        }
        return false; // no rule matches: PostgreSQL refuses
    }

    /** A pg_ident.conf line MAP OWNER ROLE (literal names; a regular expression is not judged). */
    static boolean mapped(String ident, String map, String owner, String role) {
        for (String raw : ident.split("\n")) {
            List<String> w = fields(raw);
            if (w.size() >= 3 && w.get(0).equals(map) && w.get(1).equals(owner) && w.get(2).equals(role)) {
                return true;
            }
        }
        return false;
    }

    /** TRUE, FALSE, or null for "cannot tell here" (+group, @file). */
    private static Boolean matches(String field, String name, String role) {
        boolean unknown = false;
        for (String v : field.split(",")) {
            String x = v.startsWith("\"") && v.endsWith("\"") && v.length() > 1 ? v.substring(1, v.length() - 1) : v;
            if (!v.startsWith("\"") && (x.equals("all") || x.equals("sameuser") && name.equals(role)
                    || x.equals("samerole") && name.equals(role))) {
                return true;
            }
            if (x.equals(name)) {
                return true;
            }
            if (v.startsWith("+") || v.startsWith("@") || v.startsWith("/")) {
                unknown = true;
            }
        }
        return unknown ? null : Boolean.FALSE;
    }

    /** The whitespace-separated fields of a line without its comment; double-quoted fields kept whole. */
    static List<String> fields(String raw) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '"') {
                quoted = !quoted;
                cur.append(c);
            } else if (c == '#' && !quoted) {
                break;
            } else if (Character.isWhitespace(c) && !quoted) {
                if (cur.length() > 0) {
                    out.add(cur.toString());
                    cur.setLength(0);
                }
            } else {
                cur.append(c);
            }
        }
        if (cur.length() > 0) {
            out.add(cur.toString());
        }
        return out;
    }
}
