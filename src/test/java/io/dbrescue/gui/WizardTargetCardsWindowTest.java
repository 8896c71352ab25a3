package io.dbrescue.gui;

import io.dbrescue.machine.InstalledServer;
import io.dbrescue.machine.Target;
import io.dbrescue.plan.Check;
import io.dbrescue.plan.Plan;
import io.dbrescue.plan.RecoveryRequest;
import io.dbrescue.plan.Strategy;
import io.dbrescue.scan.Engine;
import io.dbrescue.scan.ScanResult;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.Labeled;
import javafx.scene.control.TableCell;
import javafx.scene.control.TextInputControl;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Target step as a person meets it with a backup of four engines: one card per server, filled from what
 * discovery found, each card's values reaching its own engine's request only; and every text of a wizard run in the
 * window's own words (no command-line options, no raw keys, no "(s)", one unit system).
 */
@ExtendWith(ApplicationExtension.class)
class WizardTargetCardsWindowTest {
    @TempDir
    static Path state;
    @TempDir
    Path backup;

    AtomicReference<Stage> stage = new AtomicReference<>();
    final List<Map<String, String>> planSecrets = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** A machine with PostgreSQL 16, MariaDB 10.11 and Redis 7.0; a planner whose checks speak the CLI's words. */
    final FakeRecoveryService fake = new FakeRecoveryService() {
        @Override
        public Target discover() {
            return new Target(List.of(
                    new InstalledServer(Engine.POSTGRESQL, "16.4", Path.of("/usr/lib/postgresql/16/bin"),
                            List.of(new InstalledServer.Cluster(Path.of("/var/lib/postgresql/16/main"), 5432, true,
                                    "postgres", "16", "16/main", null))),
                    new InstalledServer(Engine.MARIADB, "10.11.6", Path.of("/usr/sbin"),
                            List.of(new InstalledServer.Cluster(Path.of("/var/lib/mysql"), 3306, true, "mysql"))),
                    new InstalledServer(Engine.REDIS, "7.0.15", Path.of("/usr/bin"),
                            List.of(new InstalledServer.Cluster(Path.of("/var/lib/redis"), 6379, true, "redis")))),
                    "4.3.1", true);
        }

        @Override
        public Plan plan(RecoveryRequest request, ScanResult scan, Target target, Map<String, Strategy> strategies,
                         Map<String, String> secrets) {
            planSecrets.add(Map.copyOf(secrets));
            Plan p = super.plan(request, scan, target, strategies, secrets);
            List<Check> checks = new ArrayList<>(p.checks());
            // what engine checks say, written for the command line
            checks.add(Check.warn(null, "disk-space", "The disk has 2 database(s) and 1 file(s) to hold.",
                    "Free space there, or choose another place with --target-data FOLDER."));
            checks.add(Check.warn(null, "sqlite-file", "A database of that name exists; choose with --on-conflict.",
                    "Use --on-conflict replace, or point dbrescue at another server with --target-host / --target-port."));
            return new Plan(p.runId(), p.createdAt(), p.request(), p.decisions(), checks, p.steps());
        }
    };

    @AfterAll
    static void forgetTheStateFolder() {
        System.clearProperty("dbrescue.state.dir");
    }

    @Start
    void start(Stage s) {
        System.setProperty("dbrescue.state.dir", state.toString());
        stage.set(s);
    }

    @BeforeEach
    void backup() throws Exception {
        Path sample = Path.of("docs/sample-backup");
        try (var files = Files.walk(sample)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path to = backup.resolve(sample.relativize(f).toString());
                Files.createDirectories(to.getParent());
                Files.copy(f, to);
            }
        }
        Files.writeString(backup.resolve("home/alex/dumps/blog.sql"), "-- MariaDB dump 10.19  Distrib 10.11.6-MariaDB,"
                + " for debian-linux-gnu (x86_64)\n--\n-- Host: localhost    Database: blog\n-- -----\n"
                + "-- Server version\t10.11.6-MariaDB-0+deb12u1\n\nCREATE TABLE t (a int);\n"
                + "-- Dump completed on 2026-11-30 10:00:00\n");
    }

    private void open(FxRobot robot, int width, int height) {
        robot.interact(() -> {
            Stage s = stage.get();
            s.setScene(new Scene(DbRescueApp.create(s, fake, new FxJobs(), null), width, height));
            s.show();
        });
    }

    private static void next(FxRobot robot) {
        robot.clickOn("#next");
        WaitForAsyncUtils.waitForFxEvents();
    }

    private static String title(FxRobot robot) {
        return robot.lookup(".step-title").queryAs(Label.class).getText();
    }

    private static String facts(FxRobot robot, String card) {
        return robot.lookup("#card-" + card + "-facts").queryAs(VBox.class).getChildrenUnmodifiable().stream()
                .map(n -> ((Label) n).getText()).reduce("", (a, b) -> a + b + "\n");
    }

    private void toTarget(FxRobot robot) throws Exception {
        robot.clickOn("#folder").write(backup.toString());
        next(robot);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> robot.lookup("#status").queryAs(Label.class).getText()
                .startsWith("4 databases found"));
        next(robot);
        assertThat(title(robot)).isEqualTo("3. Target");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> facts(robot, "postgresql").contains("16.4"));
    }

    private static void type(FxRobot robot, String id, String text) {
        robot.interact(() -> ((TextInputControl) robot.lookup("#" + id).query()).setText(text));
    }

    @Test
    void oneCardPerServerFilledFromDiscoveryAndEachReachesItsOwnEngine(FxRobot robot) throws Exception {
        open(robot, 1100, 750);
        toTarget(robot);
        assertThat(robot.lookup("#cards").queryAs(VBox.class).getChildren().stream().map(Node::getId).toList())
                .containsExactly("card-postgresql", "card-mysql", "card-redis", "card-files");
        assertThat(facts(robot, "postgresql")).contains("PostgreSQL 16.4, programs in /usr/lib/postgresql/16/bin.")
                .contains("Cluster 16/main, data in /var/lib/postgresql/16/main, port 5432, running.")
                .contains("dbrescue logs in as the postgres system user (no password needed).");
        assertThat(facts(robot, "mysql")).contains("MariaDB 10.11.6").contains("port 3306, running.")
                .contains("dbrescue logs in as root");
        assertThat(facts(robot, "redis")).contains("Redis 7.0.15").contains("port 6379, running.");
        assertThat(robot.lookup("#files-choose").queryButton().getText()).isEqualTo("Choose…");

        type(robot, "postgresql-port", "5433");
        type(robot, "postgresql-user", "alex");
        type(robot, "postgresql-password", "pg-secret");
        type(robot, "mysql-port", "3307");
        type(robot, "mysql-password", "my-secret");
        type(robot, "redis-port", "6380");
        type(robot, "files-folder", backup.resolveSibling("restored").toString());
        next(robot);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> title(robot).equals("4. Strategy"));
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> !fake.requests.isEmpty());
        RecoveryRequest r = fake.requests.get(fake.requests.size() - 1);
        assertThat(r.target().port()).as("nothing is said for every server at once").isNull();
        assertThat(r.forEngine(Engine.POSTGRESQL).target().port()).isEqualTo(5433);
        assertThat(r.forEngine(Engine.POSTGRESQL).target().user()).isEqualTo("alex");
        assertThat(r.forEngine(Engine.POSTGRESQL).target().dataDir()).isNull();
        assertThat(r.forEngine(Engine.MARIADB).target().port()).isEqualTo(3307);
        assertThat(r.forEngine(Engine.MARIADB).target().user()).isNull();
        assertThat(r.forEngine(Engine.REDIS).target().port()).isEqualTo(6380);
        assertThat(r.forEngine(Engine.REDIS).target().dataDir()).as("the files' folder is not Redis's").isNull();
        assertThat(r.forEngine(Engine.SQLITE).target().dataDir()).isEqualTo(backup.resolveSibling("restored"));
        assertThat(r.forEngine(Engine.SQLITE).target().port()).isNull();
        assertThat(planSecrets.get(planSecrets.size() - 1))
                .containsExactlyInAnyOrderEntriesOf(Map.of("PGPASSWORD", "pg-secret", "MYSQL_PWD", "my-secret"));
    }

    /** A command-line option, a camelCase key, a "(s)" plural, a binary unit or KB, a raw id of a check or kind. */
    private static final Pattern OPTION = Pattern.compile("(?<![\\w-])--(target-\\w+|on-conflict|upgrade-method|strategy"
            + "|run-as|no-safety-copy|require-all|restore-test|select|set|dry-run|json|resume|debug)\\b");
    private static final Pattern CAMEL = Pattern.compile("\\b[a-z]{2,}[A-Z][A-Za-z]*\\b");
    private static final Pattern PLURAL = Pattern.compile("\\w\\(s\\)");
    private static final Pattern UNIT = Pattern.compile("\\d ?(KB|KiB|MiB|GiB|TiB|kb|mb|gb)\\b");
    private static final Pattern RAW_ID = Pattern.compile("\\b(sqlite-file|data-directory|disk-space)\\b");

    @Test
    void everyPageOfARunSpeaksTheWindowsOwnWords(FxRobot robot) throws Exception {
        open(robot, 1100, 750);
        Set<String> texts = new LinkedHashSet<>();
        texts.addAll(pageTexts(robot));
        toTarget(robot);
        type(robot, "files-folder", backup.resolveSibling("restored").toString());
        texts.addAll(pageTexts(robot));
        for (String step : List.of("4. Strategy", "5. Pre-flight", "6. Preview")) {
            next(robot);
            WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> title(robot).equals(step)
                    && robot.lookup("#blocked").queryAs(Label.class).getText().isEmpty()
                    || step.equals("5. Pre-flight") && title(robot).equals(step));
            WaitForAsyncUtils.sleep(300, TimeUnit.MILLISECONDS);
            texts.addAll(pageTexts(robot));
        }
        assertThat(texts).anyMatch(t -> t.contains("choose another place on the Target step"));
        robot.clickOn("#next");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup(n -> n instanceof javafx.scene.control.Button b
                && "Run".equals(b.getText()) && b.isVisible()).tryQuery().isPresent());
        robot.clickOn(robot.lookup(n -> n instanceof javafx.scene.control.Button b && "Run".equals(b.getText())
                && b.isVisible()).queryButton());
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> title(robot).equals("8. Summary"));
        texts.addAll(pageTexts(robot));

        List<String> wrong = new ArrayList<>();
        for (String t : texts) {
            for (Pattern p : List.of(OPTION, CAMEL, PLURAL, UNIT, RAW_ID)) {
                Matcher m = p.matcher(t);
                if (m.find()) {
                    wrong.add("'" + m.group() + "' in: " + t);
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    /** Every text the window shows now, but the commands of the Preview (those are the tools' own words). */
    private static List<String> pageTexts(FxRobot robot) {
        List<String> out = new ArrayList<>();
        robot.interact(() -> collect(robot.lookup(".root").queryAs(Parent.class).getScene().getRoot(), out));
        return out;
    }

    private static void collect(Node n, List<String> out) {
        if (!n.isVisible() || n.getStyleClass().contains("command")
                || n instanceof TableCell<?, ?> c && c.getTableColumn() != null
                && "Command".equals(c.getTableColumn().getText())) {
            return;
        }
        if (n instanceof Labeled l && l.getText() != null && !l.getText().isBlank()) {
            out.add(l.getText());
        } else if (n instanceof TextInputControl t && t.getText() != null && !t.getText().isBlank()) {
            out.add(t.getText());
        }
        if (n instanceof Parent p) {
            p.getChildrenUnmodifiable().forEach(c -> collect(c, out));
        }
    }
}
