package io.dbrescue.gui;

import io.dbrescue.run.Journal;
import io.dbrescue.run.RunResult;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The Summary's report lines in words: no raw keys, numbers formatted, sizes as the rest of the window says them. */
class ReportTextTest {
    @Test
    void reportKeysReadAsWords() {
        Locale before = Locale.getDefault(Locale.Category.FORMAT);
        Locale.setDefault(Locale.Category.FORMAT, Locale.US);
        try {
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("rowCounts", Map.of("notes", 1204));
            report.put("keysPerDatabase", new LinkedHashMap<>(Map.of("db0", 5)));
            report.put("checksumVerified", true);
            report.put("pageSize", 4096);
            report.put("accountsKept", List.of("app@%"));
            report.put("safetyDump:shop", "/run/x.sql");
            String text = SummaryViewModel.describe(new RunResult.GroupResult("g", Journal.Outcome.RESTORED, null, null,
                    null, report));
            assertThat(text).isEqualTo("Rows per table: notes 1,204\nKeys per database: database 0: 5 keys\n"
                    + "Checksum checked: yes\nPage size: 4.1 kB\nAccounts kept: app@%\nSafety dump of shop: /run/x.sql");
            assertThat(text).doesNotContain("rowCounts", "keysPerDatabase", "{", "=", "checksumVerified", "pageSize");
            assertThat(ReportText.value("keysPerDatabase", Map.of("db3", 1))).isEqualTo("database 3: 1 key");
        } finally {
            Locale.setDefault(Locale.Category.FORMAT, before);
        }
    }

    /** Seen in the installed window's Summary: "Verified: Connected to localhost:5432; 2 table(s), 250 row(s)." */
    @org.junit.jupiter.api.Test
    void theSummarysRowSaysTheVerifyLineInTheWindowsWords() {
        String row = SummaryViewModel.describe(new io.dbrescue.run.RunResult.GroupResult("home/alex/dumps/shop.sql",
                io.dbrescue.run.Journal.Outcome.RESTORED, "Restored.", null, null,
                java.util.Map.of("verified", "Connected to localhost:5432; 2 table(s), 250 row(s).")));
        org.assertj.core.api.Assertions.assertThat(row).contains("2 tables, 250 rows").doesNotContain("(s)");
    }
}
