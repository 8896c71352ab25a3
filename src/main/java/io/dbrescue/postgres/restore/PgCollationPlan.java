package io.dbrescue.postgres.restore;

import io.dbrescue.postgres.scan.PgCatalogFacts;
import io.dbrescue.postgres.scan.SystemLibraries;

import io.dbrescue.plan.PlanContext;
import io.dbrescue.scan.Finding;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The collation part of a direct restore's plan: a data directory copied onto a system with another C library
 * (glibc 2.28 changed the sort order of most locales) or another ICU keeps text indexes built in the old order, and
 * lookups through them miss rows without any error. From what the scan read — each database's locale provider,
 * locale and recorded collation version ({@link PgCatalogFacts}), the old system's glibc and ICU
 * ({@link SystemLibraries}) — and this system's glibc and the server's ICU, it judges the C library (same, changed,
 * unknown), says why in the pre-flight, and adds the {@code pg-collations} step ({@link PgCollationStep}) after the
 * start. ICU collations always record their version: they are compared in the restored server.
 */
final class PgCollationPlan {
    private static final String CROSSING_228 = " (glibc 2.28 changed the sort order of most locales)";

    private PgCollationPlan() {
    }

    /**
     * What is known before the start.
     *
     * @param libc     the state of libc collations that record no version
     * @param libcWhy  the old and new C library, for the summary
     * @param libcDbs  databases with a libc locale that sorts by language (not C / POSIX / C.UTF-8)
     * @param icuDbs   databases whose default collation is ICU, with their recorded version
     * @param serverIcu the ICU major of the target's server, or null
     */
    record Judgement(PgCollations.State libc, String libcWhy, List<String> libcDbs, Map<String, String> icuDbs,
                     String serverIcu, SystemLibraries old) {
    }

    /** The pre-flight check and the step, after the start, checking through {@code verify}'s login. */
    static void add(Finding f, Path bin, String serverVersion, PgRestoreTarget verify, PlanContext ctx) {
        Judgement j = judge(f, SystemLibraries.of(f), SystemLibraries.here(), SystemLibraries.icuOfServer(bin));
        check(j, f.getVersion(), ctx);
        ctx.step(new PgCollationStep.PgCollationsParams(verify.login(), j.libc().name().toLowerCase(Locale.ROOT),
                        j.libcWhy()), "Collations: compare the recorded versions with this system's libraries ("
                        + j.libcWhy() + (j.serverIcu() == null ? "" : "; ICU " + j.serverIcu() + " in PostgreSQL "
                        + serverVersion) + "), check the text indexes at risk with amcheck (bt_index_check), rebuild "
                        + "those whose collation changed or that fail (REINDEX INDEX CONCURRENTLY), refresh the "
                        + "recorded versions — " + expectation(j))
                .reads("the restored server").writes("text indexes whose order changed (rebuilt); the collation versions "
                        + "its catalog records; amcheck only for the check (dropped again if dbrescue installed it)")
                .add();
    }

    /** The C library then and now, and the databases each kind of collation concerns. */
    static Judgement judge(Finding f, SystemLibraries old, SystemLibraries here, String serverIcu) {
        Map<String, Map<?, ?>> locales = locales(f);
        List<String> libcDbs = new ArrayList<>();
        Map<String, String> icuDbs = new LinkedHashMap<>();
        Set<String> recorded = new LinkedHashSet<>();
        for (Map.Entry<String, Map<?, ?>> e : locales.entrySet()) {
            Object provider = e.getValue().get("localeProvider");
            Object version = e.getValue().get("collationVersion");
            boolean template = e.getKey().startsWith("template"); // no user indexes: not named, versions still read
            if ("icu".equals(provider) && !template) {
                icuDbs.put(e.getKey(), version == null ? "no version recorded" : version.toString());
            } else if (provider == null || "libc".equals(provider)) {
                if (!template && !PgCollations.codePointOrder(String.valueOf(e.getValue().get("lcCollate")))) {
                    libcDbs.add(e.getKey());
                }
                if (version != null) {
                    recorded.add(version.toString());
                }
            }
        }
        String oldLibc;
        String from;
        if ("musl".equals(old.libc())) {
            oldLibc = "musl";
            from = old.libcFrom();
        } else if (!recorded.isEmpty()) { // several when databases were made under different versions
            oldLibc = "glibc " + String.join(" / ", recorded);
            from = "recorded in the catalog (datcollversion)";
        } else {
            oldLibc = old.libcVersion() == null ? null : "glibc " + old.libcVersion();
            from = old.libcFrom();
        }
        String newLibc = here.libcText();
        PgCollations.State state = oldLibc == null || newLibc == null ? PgCollations.State.UNKNOWN
                : oldLibc.equals(newLibc) ? PgCollations.State.SAME : PgCollations.State.CHANGED;
        String why = (oldLibc == null ? "the old system's C library is unknown" : oldLibc + " then ("
                + (old.system() != null ? old.system() + "; " : "") + from + ")") + ", "
                + (newLibc == null ? "an unknown C library" : newLibc) + " here"
                + (state == PgCollations.State.CHANGED && crosses228(oldLibc, newLibc) ? CROSSING_228 : "");
        return new Judgement(state, why, libcDbs, icuDbs, serverIcu, old);
    }

    private static void check(Judgement j, String major, PlanContext ctx) {
        String icu = j.icuDbs().isEmpty() ? "" : " ICU databases (" + String.join(", ", j.icuDbs().entrySet().stream()
                .map(e -> e.getKey() + ": " + e.getValue()).toList()) + ") are compared with the ICU of the restored "
                + "server" + (j.serverIcu() == null ? "" : " (" + j.serverIcu() + ")") + (j.old().icu() == null ? ""
                : "; the old system had ICU " + j.old().icu() + " (" + j.old().icuFrom() + ")") + ".";
        String fix = "Nothing to do: after the start dbrescue checks the text indexes at risk with amcheck and rebuilds "
                + "them (REINDEX INDEX CONCURRENTLY); large ones take a while. The summary lists them.";
        if (j.libc() == PgCollations.State.CHANGED && !j.libcDbs().isEmpty()) {
            ctx.warn("collations", "The C library changed: " + j.libcWhy() + ". The text indexes of "
                    + String.join(", ", j.libcDbs()) + " were sorted in the old order and may now miss rows." + icu, fix);
        } else if (j.libc() == PgCollations.State.UNKNOWN && !j.libcDbs().isEmpty()) {
            ctx.warn("collations", "Whether the C library changed is not known: " + j.libcWhy() + (Integer.parseInt(
                    major.replaceFirst("\\..*", "")) < 15 ? "; PostgreSQL " + major + " records no version for a "
                    + "database's collation" : "") + ". The text indexes of " + String.join(", ", j.libcDbs())
                    + " are checked after the start and rebuilt where a check fails." + icu, fix);
        } else {
            ctx.pass("collations", (j.libcDbs().isEmpty() ? "No database sorts by a libc locale that can change (C, "
                    + "POSIX and C.UTF-8 compare code points)" : "Same C library: " + j.libcWhy()) + "." + icu
                    + " Collations an index uses are compared with their recorded versions after the start.");
        }
    }

    private static String expectation(Judgement j) {
        return switch (j.libc()) {
            case CHANGED -> j.libcDbs().isEmpty() ? "the C library changed, though no database sorts by a libc locale"
                    : "the C library changed: the text indexes of " + String.join(", ", j.libcDbs()) + " are rebuilt";
            case UNKNOWN -> j.libcDbs().isEmpty() ? "no database sorts by a libc locale"
                    : "the old C library is unknown: the text indexes of " + String.join(", ", j.libcDbs())
                    + " are checked";
            default -> "nothing is expected to change, so nothing is expected to be rebuilt";
        } + (j.icuDbs().isEmpty() ? "" : "; ICU collations by their recorded versions");
    }

    /** Every database's locale facts (template0 from the finding's own keys), by name. */
    private static Map<String, Map<?, ?>> locales(Finding f) {
        Map<String, Map<?, ?>> out = new LinkedHashMap<>();
        Map<String, Object> d = f.getDetails();
        if (d.get("lcCollate") != null || d.get("localeProvider") != null) {
            out.put("template0", d);
        }
        if (d.get("databaseLocales") instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (e.getValue() instanceof Map<?, ?> v) {
                    out.put(String.valueOf(e.getKey()), v);
                }
            }
        }
        return out;
    }

    private static boolean crosses228(String oldLibc, String newLibc) {
        double a = glibc(oldLibc);
        double b = glibc(newLibc);
        return a > 0 && b > 0 && Math.min(a, b) < 2.28 && Math.max(a, b) >= 2.28;
    }

    /** 2.27 for "glibc 2.27" (2.9 sorts before 2.10 this way only up to 2.99: fine for glibc), else -1. */
    private static double glibc(String text) {
        if (text == null || !text.startsWith("glibc ")) {
            return -1;
        }
        String[] p = text.substring(6).split("\\.");
        try {
            return Integer.parseInt(p[0]) + Integer.parseInt(p[1]) / 100.0;
        } catch (RuntimeException e) {
            return -1;
        }
    }
}
