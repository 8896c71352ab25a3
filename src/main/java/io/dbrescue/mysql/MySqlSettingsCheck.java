package io.dbrescue.mysql;

import io.dbrescue.plan.PlanContext;

/**
 * Compares the old server's settings (from the backup) with the target server's in the pre-flight. What
 * would stop the data from opening or change how its tables are named is a FAIL with the fix; what only
 * changes the behaviour of new tables or of programs is a WARN; the rest is a PASS that says what was
 * compared.
 */
final class MySqlSettingsCheck {
    /** How the data reaches the target: its files are opened by the target server, or its rows are moved. */
    enum Way { FILES, ROWS }

    private MySqlSettingsCheck() {
    }

    static void check(PlanContext ctx, MySqlSettings old, MySqlSettings target, String targetLabel, Way way) {
        String from = old.source() == null ? "no option file of the old system was found in the backup, so its "
                + "defaults are assumed" : "read from " + old.source() + " in the backup";
        lowerCase(ctx, old, target, targetLabel, from);
        pageSize(ctx, old, target, targetLabel, way);
        charset(ctx, old, target, targetLabel);
        sqlMode(ctx, old, target, targetLabel);
    }

    private static void lowerCase(PlanContext ctx, MySqlSettings old, MySqlSettings target, String label, String from) {
        int o = old.lctn();
        Integer t = target.lowerCaseTableNames();
        if (t == null || t == o) {
            ctx.pass("lower-case-table-names", "lower_case_table_names is " + o + " in the old system (" + from
                    + ")" + (t == null ? "" : " and in " + label) + ".");
            return;
        }
        String why = o != 0
                ? "the old server ran with lower_case_table_names = " + o + " (" + from + "): table names were stored "
                + "in lower case and matched in any case, and " + label + " runs with " + t + ", where `Customer` and "
                + "`customer` are different tables — programs that write a name in another case would no longer find it."
                : "the old server ran with lower_case_table_names = 0 (" + from + "): table names keep their case, and "
                + label + " runs with " + t + ", which stores every name in lower case — names would change, and two "
                + "tables whose names differ only in case would collide.";
        ctx.fail("lower-case-table-names", "Table names would not survive the move: " + why,
                "Set lower_case_table_names = " + o + " under [mysqld] in the target's configuration (Debian: "
                        + "/etc/mysql/mariadb.conf.d/50-server.cnf), restart it, and run again. MySQL 8 takes it only when "
                        + "its data directory is made.");
    }

    private static void pageSize(PlanContext ctx, MySqlSettings old, MySqlSettings target, String label, Way way) {
        long o = old.pageSize();
        Long t = target.innodbPageSize();
        if (t == null || t == o) {
            ctx.pass("innodb-page-size", "InnoDB page size " + MySqlSettings.kb(o) + " in the data"
                    + (t == null ? "" : " and in " + label) + ".");
            return;
        }
        if (way == Way.FILES) {
            ctx.fail("innodb-page-size", "The data was made with an InnoDB page size of " + MySqlSettings.kb(o) + " and "
                    + label + " runs with " + MySqlSettings.kb(t) + ": InnoDB refuses to start on files of another page "
                    + "size.", "Set innodb_page_size = " + MySqlSettings.kb(o) + " under [mysqld] in the target's "
                    + "configuration before its data directory is replaced, or move the rows instead of the files "
                    + "(--strategy container --upgrade-method dump).");
        } else if (t < o) {
            ctx.warn("innodb-page-size", "The old server used InnoDB pages of " + MySqlSettings.kb(o) + " (it is "
                    + "started with them), " + label + " uses " + MySqlSettings.kb(t) + ": a row that is wider than "
                    + "about half a page there is refused (\"Row size too large\").", "If the load stops on such a table, "
                    + "make the target with innodb_page_size = " + MySqlSettings.kb(o) + ".");
        } else {
            ctx.pass("innodb-page-size", "The old server is started with its page size, " + MySqlSettings.kb(o) + "; "
                    + label + " uses " + MySqlSettings.kb(t) + ", which holds the same rows.");
        }
    }

    private static void charset(PlanContext ctx, MySqlSettings old, MySqlSettings target, String label) {
        if (old.characterSet() == null && old.collation() == null) {
            ctx.pass("character-set", "The old system's option files set no character-set-server / collation-server; "
                    + "every database and table names its own, and they move with it.");
            return;
        }
        boolean sameSet = old.characterSet() == null || old.characterSet().equalsIgnoreCase(
                String.valueOf(target.characterSet()));
        boolean sameCollation = old.collation() == null || old.collation().equalsIgnoreCase(
                String.valueOf(target.collation()));
        String oldText = (old.characterSet() != null ? old.characterSet() : "") + (old.collation() != null ? " / "
                + old.collation() : "");
        if (sameSet && sameCollation) {
            ctx.pass("character-set", "character-set-server / collation-server " + oldText + " in both.");
            return;
        }
        ctx.warn("character-set", "The old server's defaults were " + oldText + " (" + old.source() + "), " + label
                + "'s are " + target.characterSet() + " / " + target.collation() + ". Existing databases and tables keep "
                + "their own (they name it), but databases and tables made later get the target's, and comparing text "
                + "across the two can fail with \"Illegal mix of collations\".",
                "To keep the old defaults: character-set-server = " + (old.characterSet() != null ? old.characterSet()
                        : target.characterSet()) + " and collation-server = " + (old.collation() != null
                        ? old.collation() : target.collation()) + " under [mysqld] in the target's configuration.");
    }

    private static void sqlMode(PlanContext ctx, MySqlSettings old, MySqlSettings target, String label) {
        if (old.sqlMode() == null) {
            ctx.pass("sql-mode", "The old system's option files set no sql_mode (its default applied).");
            return;
        }
        if (target.sqlMode() == null || MySqlSettings.modes(old.sqlMode()).equals(MySqlSettings.modes(target.sqlMode()))) {
            ctx.pass("sql-mode", "sql_mode '" + old.sqlMode() + "'" + (target.sqlMode() == null ? "" : " in both") + ".");
            return;
        }
        ctx.warn("sql-mode", "The old server ran with sql_mode = '" + old.sqlMode() + "' (" + old.source() + "), "
                + label + " with '" + target.sqlMode() + "': the stored data moves the same, but programs may see other "
                + "errors or warnings (e.g. strict mode refuses a value the old server cut short).",
                "To keep the old behaviour: sql_mode = '" + old.sqlMode() + "' under [mysqld] in the target's "
                        + "configuration.");
    }
}
