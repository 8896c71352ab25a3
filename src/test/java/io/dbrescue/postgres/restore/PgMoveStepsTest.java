package io.dbrescue.postgres.restore;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The parts of the container strategy's steps that need no server: the globals script and initdb's locale options. */
class PgMoveStepsTest {
    @Test
    void theGlobalsScriptIsSplitIntoStatementsWithoutCommentsSetOrMetaCommands() {
        List<String> sql = PgMoveSteps.MoveGlobals.statements(List.of(
                "--", "-- PostgreSQL database cluster dump", "--", "\\restrict abc", "SET default_transaction_read_only = off;",
                "", "CREATE ROLE \"Odd \"\"name\"\"\";", "ALTER ROLE \"Odd \"\"name\"\"\" WITH NOSUPERUSER LOGIN PASSWORD 'SCRAM-SHA-256$x';",
                "COMMENT ON ROLE app IS 'two", "lines';", "GRANT reader TO app WITH INHERIT TRUE GRANTED BY postgres;",
                "\\unrestrict abc"));
        assertThat(sql).containsExactly("CREATE ROLE \"Odd \"\"name\"\"\";",
                "ALTER ROLE \"Odd \"\"name\"\"\" WITH NOSUPERUSER LOGIN PASSWORD 'SCRAM-SHA-256$x';",
                "COMMENT ON ROLE app IS 'two\nlines';", "GRANT reader TO app WITH INHERIT TRUE GRANTED BY postgres;");
        assertThat(PgMoveSteps.MoveGlobals.unquote("\"Odd \"\"name\"\"\"")).isEqualTo("Odd \"name\"");
        assertThat(PgMoveSteps.MoveGlobals.unquote("app")).isEqualTo("app");
    }

    @Test
    void theNewClusterGetsTheOldLocaleAndProvider() {
        assertThat(PgUpgradePlan.localeArgs(Map.of("lcCollate", "de_DE.UTF-8", "lcCtype", "de_DE.UTF-8",
                "localeProvider", "libc"), 18)).containsExactly("--lc-collate=de_DE.UTF-8", "--lc-ctype=de_DE.UTF-8");
        assertThat(PgUpgradePlan.localeArgs(Map.of("lcCollate", "C", "localeProvider", "icu", "locale", "en-US"), 18))
                .containsExactly("--lc-collate=C", "--lc-ctype=C", "--locale-provider=icu", "--icu-locale=en-US");
        assertThat(PgUpgradePlan.localeArgs(Map.of("localeProvider", "builtin", "locale", "C.UTF-8"), 18))
                .contains("--locale-provider=builtin", "--builtin-locale=C.UTF-8");
        assertThat(PgUpgradePlan.localeArgs(Map.of(), 14)).containsExactly("--lc-collate=C", "--lc-ctype=C");
    }
}
