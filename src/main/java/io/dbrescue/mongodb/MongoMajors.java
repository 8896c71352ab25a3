package io.dbrescue.mongodb;

import java.util.ArrayList;
import java.util.List;

/**
 * MongoDB's documented upgrade rules, as arithmetic on major versions: a mongod opens data whose
 * featureCompatibilityVersion is its own major or the one before (the release notes' "Upgrade a
 * Standalone" pages: 4.4 → 5.0 → 6.0 → 7.0 → 8.0, one at a time, FCV raised after each); mongorestore
 * expects a dump of the same major ("mongodump and mongorestore ... same major version"). Rapid releases
 * (5.1 to 5.3, 6.1 to 6.3, 7.1 to 7.3) are not steps of the chain.
 */
final class MongoMajors {
    static final List<String> MAJORS = List.of("3.0", "3.2", "3.4", "3.6", "4.0", "4.2", "4.4", "5.0", "6.0", "7.0",
            "8.0");
    /** From 7.0 on, setFeatureCompatibilityVersion needs confirm: true (release notes of 7.0). */
    static final String CONFIRM_FROM = "7.0";
    /** From 5.0 on, MongoDB's x86-64 builds need a CPU with AVX (5.0 production notes). */
    static final String AVX_FROM = "5.0";
    /** From 6.0 on the images carry mongosh only; older ones the legacy mongo shell. */
    static final String MONGOSH_FROM = "6.0";

    private MongoMajors() {
    }

    /** "6.0.14" → "6.0"; null for null. */
    static String of(String version) {
        if (version == null) {
            return null;
        }
        String[] p = version.split("\\.");
        return p.length < 2 ? p[0] + ".0" : p[0] + "." + p[1];
    }

    static boolean known(String major) {
        return MAJORS.contains(major);
    }

    static int compare(String a, String b) {
        return Integer.compare(rank(a), rank(b));
    }

    private static int rank(String major) {
        String[] p = major.split("\\.");
        return Integer.parseInt(p[0]) * 100 + Integer.parseInt(p[1]);
    }

    /** The major before this one in the upgrade path, null for the first. */
    static String previous(String major) {
        int i = MAJORS.indexOf(major);
        return i > 0 ? MAJORS.get(i - 1) : null;
    }

    /** Every major from {@code from} to {@code to}, both included, in order. */
    static List<String> path(String from, String to) {
        List<String> out = new ArrayList<>();
        for (String m : MAJORS) {
            if (compare(m, from) >= 0 && compare(m, to) <= 0) {
                out.add(m);
            }
        }
        return out;
    }

    /** The shell command that sets the FCV to {@code major}, in the syntax the shells of that major take. */
    static String setFcv(String major) {
        return "db.adminCommand({setFeatureCompatibilityVersion: \"" + major + "\""
                + (compare(major, CONFIRM_FROM) >= 0 ? ", confirm: true" : "") + "})";
    }

    static String shell(String major) {
        return compare(major, MONGOSH_FROM) >= 0 ? "mongosh" : "mongo";
    }
}
