package io.dbrescue.gui;

import io.dbrescue.scan.Finding;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The first window as a person uses it: type a folder, press Scan, read the table and the status line. */
@ExtendWith(ApplicationExtension.class)
class FindingsViewTest {
    @TempDir
    Path backup;

    @Start
    void start(Stage stage) {
        stage.setScene(new Scene(new FindingsView(new ScanService()), 900, 500));
        stage.show();
    }

    @Test
    void scanningAFolderListsWhatItHolds(FxRobot robot) throws Exception {
        // a real SQLite database, made by the SQLite library
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + backup.resolve("notes.db"));
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)");
            s.execute("INSERT INTO notes (body) VALUES ('hello')");
        }

        robot.clickOn("#folder").write(backup.toString());
        robot.clickOn("#scan");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS,
                () -> robot.lookup("#status").queryAs(Label.class).getText().contains("database(s) found"));

        TableView<Finding> table = robot.lookup("#findings").queryTableView();
        assertThat(table.getItems()).extracting(Finding::getPath).containsExactly("notes.db");
        assertThat(robot.lookup("#status").queryAs(Label.class).getText()).startsWith("1 database(s) found");
    }

    @Test
    void aMissingFolderIsExplained(FxRobot robot) throws Exception {
        robot.clickOn("#folder").write(backup.resolve("unplugged-disk").toString());
        robot.clickOn("#scan");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS,
                () -> robot.lookup("#status").queryAs(Label.class).getText().contains("does not exist"));
        assertThat(robot.lookup("#status").queryAs(Label.class).getText()).contains("is the backup disk mounted");
    }
}
