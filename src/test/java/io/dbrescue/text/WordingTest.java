package io.dbrescue.text;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The window's words for what the engine writes with the command line's options in it. */
class WordingTest {
    private static final Pattern OPTION = Pattern.compile("(?<![\\w-])--(target-\\w+|on-conflict|upgrade-method|strategy"
            + "|run-as|no-safety-copy|require-all|restore-test|select|set images)\\b");
    private static final Pattern LITERAL = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");

    @Test
    void theCommandLineKeepsItsOptions() {
        String fix = "Free space there, or choose another place with --target-data FOLDER.";
        assertThat(Wording.render(fix, Wording.FrontEnd.COMMAND_LINE)).isEqualTo(fix);
    }

    @Test
    void theWindowNamesItsOwnFieldsAndChoices() {
        assertThat(Wording.forWindow("Free space there, or choose another place with --target-data FOLDER."))
                .isEqualTo("Free space there, or choose another place on the Target step.");
        assertThat(Wording.forWindow("Use --on-conflict replace, or rename it first."))
                .isEqualTo("Use “Replace it (after a safety dump of it)” under “When a database of that name already "
                        + "exists” on the Target step, or rename it first.");
        assertThat(Wording.forWindow("point dbrescue at it with --target-host / --target-port."))
                .isEqualTo("point dbrescue at it with the server's Host and Port on the Target step.");
        assertThat(Wording.forWindow("or use --upgrade-method dump.")).isEqualTo(
                "or use the upgrade method “dump” on the Strategy step.");
        assertThat(Wording.forWindow("Give the password through REDISCLI_AUTH."))
                .isEqualTo("Give the password through the Password field of the server on the Target step.");
        // one field, said once (seen in the installed window: "… or the folder on the Target step")
        assertThat(Wording.forWindow("Add --target-data FOLDER (the file keeps its name notes.db) or --target-data FILE."))
                .isEqualTo("Choose a folder for it under “Restore into” on the Target step (the file keeps its name "
                        + "notes.db).");
        assertThat(Wording.forWindow("1 database(s), 3 table(s); the role(s) a, b")).isEqualTo(
                "1 database, 3 tables; the roles a, b");
    }

    /**
     * A stopped server is started by a desktop user as a service, in a terminal without sudo (systemctl asks for
     * the password itself); the command line keeps its sudo command.
     */
    @Test
    void aStoppedServiceIsStartedInTheDesktopUsersWords() {
        String pg = "Start the server (e.g. sudo systemctl start postgresql) or point dbrescue at it with --target-host and "
                + "--target-port.";
        assertThat(Wording.render(pg, Wording.FrontEnd.COMMAND_LINE)).isEqualTo(pg);
        assertThat(Wording.forWindow(pg)).isEqualTo("Start its service (in a terminal: systemctl start "
                + "postgresql; it asks for your password) or point dbrescue at it with the server's Host and Port on the "
                + "Target step.");
        assertThat(Wording.forWindow("Start it (sudo systemctl start mariadb), or point dbrescue at it with --target-host / "
                + "--target-port.")).isEqualTo("Start its service (in a terminal: systemctl start mariadb; it "
                + "asks for your password), or point dbrescue at it with the server's Host and Port on the Target step.");
        assertThat(Wording.forWindow("Start it (e.g. sudo systemctl start postgresql, mariadb or redis-server) or ..."))
                .isEqualTo("Start the server's service (in a terminal: systemctl start postgresql, mariadb or "
                        + "redis-server, whichever it is; it asks for your password) or ...");
    }

    /** A desktop user who cannot log in is told to give themselves a role, not to run the window as root. */
    @Test
    void aDesktopUserIsNotToldToRunTheWindowAsRoot() {
        String fix = "Give yourself a PostgreSQL role once (in a terminal: sudo -u postgres createuser --superuser alex): "
                + "dbrescue then logs in as alex through the server's Unix socket, with no password. Run dbrescue as "
                + "root (sudo) on the server's machine: it then logs in through the server's Unix socket as the OS user "
                + "that runs it (peer, the distributions' default; no password). Or give a role with --target-user and "
                + "its password in the environment variable PGPASSWORD.";
        assertThat(Wording.forWindow(fix)).isEqualTo("Give yourself a PostgreSQL role once (in a terminal: sudo -u "
                + "postgres createuser --superuser alex): dbrescue then logs in as alex through the server's Unix "
                + "socket, with no password. Or give a role with the server's User on the Target step and its password "
                + "in the Password field of the server on the Target step.");
        assertThat(Wording.render(fix, Wording.FrontEnd.COMMAND_LINE)).isEqualTo(fix);
    }

    /** No text of the engine tells a window user to type "sudo systemctl start". */
    @Test
    void noEngineTextTellsTheWindowToSudoSystemctl() throws IOException {
        List<String> left = new ArrayList<>();
        int seen = 0;
        for (Literal l : engineLiterals()) {
            String text = l.text();
            if (text.contains("sudo systemctl")) {
                seen++;
                if (Wording.forWindow(text).contains("sudo")) {
                    left.add(text);
                }
            }
        }
        assertThat(seen).as("the engine's texts with sudo systemctl").isGreaterThanOrEqualTo(3);
        assertThat(left).isEmpty();
    }

    /** A string literal of the main sources and the file it is in. */
    private record Literal(String file, String text) {
    }

    /** Every string literal of the main sources outside the command line's own package, outside comments. */
    private static List<Literal> engineLiterals() throws IOException {
        Path main = Path.of("src/main/java/io/dbrescue");
        List<Literal> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(main)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java") && !p.startsWith(main.resolve("cli"))
                    && !p.endsWith("Wording.java")).toList()) {
                for (String line : Files.readAllLines(f)) {
                    String code = line.strip();
                    if (code.startsWith("*") || code.startsWith("//") || code.startsWith("/*")) {
                        continue;
                    }
                    Matcher m = LITERAL.matcher(line);
                    while (m.find()) {
                        out.add(new Literal(f.getFileName().toString(), m.group(1)));
                    }
                }
            }
        }
        return out;
    }

    @Test
    void keysKindsAndChecksInWords() {
        assertThat(Wording.checkTitle("disk-space")).isEqualTo("Disk space");
        assertThat(Wording.checkTitle("innodb-page-size")).isEqualTo("InnoDB page size");
        assertThat(Wording.kind("sqlite-file")).isEqualTo("database file");
        assertThat(Wording.detailLabel("keysPerDatabase")).isEqualTo("Keys per database");
        assertThat(Wording.detailLabel("someNewKey")).isEqualTo("Some new key");
        assertThat(Wording.detailValue(java.util.Map.of("db0", 5))).isEqualTo("db0 5");
        assertThat(Wording.detailValue(true)).isEqualTo("yes");
        assertThat(Wording.count(1, "folder")).isEqualTo("1 folder");
        assertThat(Wording.count(1200, "file")).isEqualTo("1,200 files");
    }

    /**
     * Every message text of the engine (each string literal of the main sources outside the command line's own
     * package that names one of its options) reads without the option in the window.
     */
    @Test
    void everyEngineTextNamingAnOptionHasWindowWords() throws IOException {
        List<String> left = new ArrayList<>();
        int seen = 0;
        for (Literal l : engineLiterals()) {
            String text = l.text();
            if (!OPTION.matcher(text).find() || !text.contains(" ") && text.startsWith("--")) {
                continue; // an argument of a program's command line, not a message
            }
            seen++;
            if (OPTION.matcher(Wording.forWindow(text)).find()) {
                left.add(l.file() + ": " + text);
            }
        }
        assertThat(seen).as("the engine's texts that name an option").isGreaterThan(50);
        assertThat(left).isEmpty();
    }
}
