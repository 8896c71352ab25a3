package io.dbrescue.gui;

import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The Settings page as a person uses it: open it from the window, type a value, see it refused or saved. */
@ExtendWith(ApplicationExtension.class)
class SettingsPageWindowTest {
    @TempDir
    Path home;

    @Start
    void start(Stage stage) {
        System.setProperty("dbrescue.env.XDG_CONFIG_HOME", home.resolve("config").toString());
        System.setProperty("dbrescue.env.XDG_STATE_HOME", home.resolve("state").toString());
        stage.setScene(new Scene(DbRescueApp.create(stage, new FakeRecoveryService(), new FxJobs(), null), 1100, 720));
        stage.show();
    }

    @AfterEach
    void clear() {
        System.clearProperty("dbrescue.env.XDG_CONFIG_HOME");
        System.clearProperty("dbrescue.env.XDG_STATE_HOME");
    }

    @Test
    void aValueIsCheckedAndSaved(FxRobot robot) throws Exception {
        robot.clickOn("#openSettings");
        WaitForAsyncUtils.waitForFxEvents();
        TextField jobs = robot.lookup("#setting-max_parallel_operations").queryAs(TextField.class);
        robot.interact(() -> jobs.setText(""));
        robot.clickOn(jobs).write("12");
        robot.clickOn("#settingsSave");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#settingsMessage").queryAs(Label.class).getText()).startsWith("Not saved");
        Path file = home.resolve("config/dbrescue/recovery.conf");
        assertThat(file).doesNotExist();

        robot.interact(() -> jobs.setText(""));
        robot.clickOn(jobs).write("3");
        robot.clickOn("#settingsSave");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#settingsMessage").queryAs(Label.class).getText()).startsWith("Saved 1 setting");
        assertThat(Files.readString(file)).contains("max_parallel_operations = 3");

        robot.clickOn("#settingsClose");
        robot.clickOn("#openHistory");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#historyTable").tryQuery()).isPresent();
    }
}
