package io.dbrescue.gui;

import io.dbrescue.settings.Settings;
import io.dbrescue.testing.Cmd;
import io.dbrescue.testing.PgCluster;
import io.dbrescue.testing.TestImages;
import io.dbrescue.testing.TestUser;
import io.dbrescue.testing.Trees;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The wizard over the real engine with PostgreSQL 16 data and a running PostgreSQL 18 server: the
 * Strategy step shows the container strategy with its reason and the How: choice, and the Preview
 * lists the exact podman commands — a dry run, so nothing changes and no container starts. With
 * {@code -Ddbrescue.screenshots=DIR} the two steps are saved as PNGs at 1100×750 and 800×600 (the user guide's
 * pictures, {@link Screenshots#both}).
 */
@ExtendWith(ApplicationExtension.class)
class WizardContainerWindowTest {
    static Path work;
    static Path backup;
    static PgCluster target;
    static Path state;
    AtomicReference<Stage> stage = new AtomicReference<>();

    @BeforeAll
    static void fixture() throws Exception {
        TestImages.ensure(TestImages.POSTGRES_16);
        TestImages.ensure(TestImages.POSTGRES_18);
        work = TestUser.newDir("wizard-container");
        backup = work.resolve("backup");
        Files.createDirectories(backup.resolve("var/lib/postgresql/16"));
        TestUser.chown(work);
        try (PgCluster c = PgCluster.init(16, backup.resolve("var/lib/postgresql/16/main")).start()) {
            c.psql("postgres", "CREATE DATABASE shop");
            c.psql("shop", "CREATE TABLE items AS SELECT g AS id FROM generate_series(1, 100) g");
        }
        Cmd.run(List.of("chmod", "-R", "a+rX", backup.toString()));
        target = PgCluster.init(18, TestUser.newDir("wizard-pg18").resolve("data")).start();
        state = Files.createTempDirectory("dbrescue-state");
    }

    @AfterAll
    static void cleanUp() {
        System.clearProperty("dbrescue.state.dir"); // set by start(): the next test class must not write here
        if (target != null) {
            target.close();
        }
        TestUser.delete(work);
    }

    @Start
    void start(Stage s) {
        System.setProperty("dbrescue.state.dir", state.toString());
        stage.set(s);
    }

    @Test
    void theStrategyAndPreviewShowTheContainerWayAndItsPodmanCommands(FxRobot robot) throws Exception {
        Map<String, String> before = Trees.snapshot(backup);
        // as `dbrescue --set … gui` makes the window's service: these settings for every plan of the window
        Settings settings = Settings.defaults(state.resolve("recovery.conf")).withOverrides(Map.of(
                "images.postgresql", TestImages.PREFIX + "postgres:{major}",
                "binaries.postgresql_18", PgCluster.binDir(18).toString(),
                "run_as_user", TestUser.NAME));
        EngineRecoveryService service = new EngineRecoveryService(new io.dbrescue.app.RescueService(settings,
                EngineServices.history(state), notice -> { }));
        robot.interact(() -> {
            Stage s = stage.get();
            s.setScene(new Scene(DbRescueApp.create(s, service, new FxJobs(), null), 1100, 750));
            s.show();
        });
        robot.clickOn("#folder").write(backup.toString());
        next(robot);
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> text(robot, "#status").contains("1 database found"));
        assertThat(robot.lookup("#findings").queryTableView().getItems()).hasSize(1);
        next(robot);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> robot.lookup("#card-postgresql-facts").queryAs(VBox.class)
                .getChildren().stream().anyMatch(n -> ((Label) n).getText().startsWith("PostgreSQL 18")));
        robot.clickOn("#postgresql-host").write("127.0.0.1");
        robot.clickOn("#postgresql-port").write(Integer.toString(target.port()));
        robot.clickOn("#postgresql-user").write("postgres");
        next(robot);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> !robot.lookup("#decisions").queryAs(VBox.class)
                .getChildren().isEmpty());
        String decisions = texts(robot.lookup("#decisions").queryAs(VBox.class));
        assertThat(decisions).contains("The old server runs in a Podman container on a copy of the data");
        ChoiceBox<?> how = robot.lookup((Node n) -> n instanceof ChoiceBox<?> && n.getId() != null
                && n.getId().startsWith("upgrade-method-")).queryAs(ChoiceBox.class);
        assertThat(how.getValue()).hasToString("AUTO");
        Screenshots.both(robot, stage.get(), "wizard-4-strategy-container");
        next(robot);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> text(robot, "#checkCounts").contains("failed"));
        assertThat(text(robot, "#checkCounts")).endsWith("0 failed");
        next(robot);
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> text(robot, "#totals").contains(" steps, "));
        TableView<?> steps = robot.lookup("#steps").queryTableView();
        String all = steps.getItems().toString();
        assertThat(all).contains("Start PostgreSQL 16 in a container on 127.0.0.1:");
        robot.interact(() -> steps.getSelectionModel().select(4)); // the container start
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(text(robot, "#command")).contains("podman run -d --name dbrescue-").contains("-p 127.0.0.1:")
                .contains("--entrypoint postgres " + TestImages.POSTGRES_16);
        Screenshots.both(robot, stage.get(), "wizard-6-preview-container");
        assertThat(Trees.snapshot(backup)).isEqualTo(before);
        assertThat(target.psql("postgres", "SELECT count(*) FROM pg_database WHERE datname = 'shop'")).isEqualTo("0");
        assertThat(TestImages.containersOfRunsIn(state)).isEmpty();
    }

    private static void next(FxRobot robot) {
        robot.clickOn("#next");
        WaitForAsyncUtils.waitForFxEvents();
    }

    private static String text(FxRobot robot, String id) {
        Node n = robot.lookup(id).query();
        return n instanceof Label l ? l.getText() : n instanceof TextArea t ? t.getText() : String.valueOf(n);
    }

    private static String texts(javafx.scene.Parent p) {
        StringBuilder b = new StringBuilder();
        for (Node n : p.lookupAll(".label")) {
            if (n instanceof Label l) {
                b.append(l.getText()).append('\n');
            }
        }
        return b.toString();
    }
}
