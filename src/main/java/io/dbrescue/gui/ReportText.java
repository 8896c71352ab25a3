package io.dbrescue.gui;

import io.dbrescue.run.Journal;
import io.dbrescue.text.Sizes;

import java.text.NumberFormat;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A run's report in a person's words: what a step reported under a key ({@code rowCounts},
 * {@code keysPerDatabase}) becomes a label ("Rows per table") and its value a sentence with formatted numbers
 * ("notes 1,204, tags 5"; "database 0: 5 keys"), sizes as {@link Sizes} says them. The Summary and the exported
 * report share it, so both say the same.
 */
final class ReportText {
    private static final Map<String, String> LABELS = Map.ofEntries(
            Map.entry("safetyCopy", "Safety copy"),
            Map.entry("safetyDump", "Safety dump"),
            Map.entry("safetyAccounts", "Safety copy of the accounts"),
            Map.entry("rowCounts", "Rows per table"),
            Map.entry("rows", "Rows per table"),
            Map.entry("keysPerDatabase", "Keys per database"),
            Map.entry("aofKeysPerDatabase", "Keys per database in the AOF"),
            Map.entry("checksumVerified", "Checksum checked"),
            Map.entry("pageSize", "Page size"),
            Map.entry("indexesChecked", "Indexes checked (amcheck)"),
            Map.entry("indexesRebuilt", "Indexes rebuilt"),
            Map.entry("collationsRefreshed", "Collation versions refreshed"),
            Map.entry("configurationBefore", "The target's configuration before"),
            Map.entry("restoredDatabases", "Databases restored"),
            Map.entry("tablesCompared", "Tables compared"),
            Map.entry("rowsCompared", "Rows compared"),
            Map.entry("checksumsCompared", "Tables with checksums compared"),
            Map.entry("pgAttverColumnsCleaned", "Columns cleaned of pg_attver"),
            Map.entry("pgUpgradeCheck", "pg_upgrade --check"),
            Map.entry("restoreLog", "Restore log"),
            Map.entry("serverLog", "Server log"),
            Map.entry("notVerified", "Not verified"));

    private ReportText() {
    }

    /** "Restored", "Failed", "Skipped", "Cancelled", "Not started". */
    static String outcome(Journal.Outcome o) {
        return switch (o) {
            case RESTORED -> "Restored";
            case FAILED -> "Failed";
            case SKIPPED -> "Skipped";
            case CANCELLED -> "Cancelled";
            case PENDING -> "Not started";
        };
    }

    /** The label of a report key: from the table, else its camelCase split into words ("accountsKept" → "Accounts kept"). */
    static String label(String key) {
        if (key.startsWith("safetyDump:")) {
            return "Safety dump of " + key.substring("safetyDump:".length());
        }
        String known = LABELS.get(key);
        if (known != null) {
            return known;
        }
        return io.dbrescue.text.Wording.detailLabel(key);
    }

    /** The value of a report key in words. */
    static String value(String key, Object v) {
        if (v instanceof Map<?, ?> m) {
            if (key.toLowerCase(Locale.ROOT).contains("keysperdatabase")) {
                return m.entrySet().stream().map(e -> "database " + e.getKey().toString().replaceFirst("^db", "") + ": "
                        + count(e.getValue(), "key")).collect(Collectors.joining(", "));
            }
            boolean nested = m.values().stream().anyMatch(x -> x instanceof Map);
            return m.isEmpty() ? "none" : m.entrySet().stream().map(e -> e.getKey() + (nested ? ": " : " ")
                    + value("", e.getValue())).collect(Collectors.joining(nested ? "; " : ", "));
        }
        if (v instanceof Collection<?> c) {
            return c.isEmpty() ? "none" : c.stream().map(String::valueOf).collect(Collectors.joining(", "));
        }
        if (v instanceof Boolean b) {
            return b ? "yes" : "no";
        }
        if (v instanceof Number n) {
            return key.toLowerCase(Locale.ROOT).contains("bytes") || key.equals("pageSize") ? Sizes.human(n.longValue())
                    : number(n.longValue());
        }
        return v == null ? "unknown" : v.toString();
    }

    /** "5 keys", "1 key", "1,204 keys". */
    static String count(Object n, String noun) {
        if (n instanceof Number num) {
            long v = num.longValue();
            return number(v) + " " + noun + (v == 1 ? "" : "s");
        }
        return n + " " + noun + "s";
    }

    static String number(long n) {
        return NumberFormat.getIntegerInstance(Locale.getDefault(Locale.Category.FORMAT)).format(n);
    }

    /** Every line of a report: "Rows per table: notes 2, tags 5". */
    static String lines(Map<String, Object> report) {
        return report.entrySet().stream().map(e -> label(e.getKey()) + ": " + value(e.getKey(), e.getValue()))
                .collect(Collectors.joining("\n"));
    }
}
