package io.dbrescue.gui;

import javafx.scene.Scene;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.DialogPane;
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
    void typedControlsNamedInWordsAndLeavingWithUnsavedChangesAsks(FxRobot robot) throws Exception {
        robot.clickOn("#openSettings");
        WaitForAsyncUtils.waitForFxEvents();
        Path file = home.resolve("config/dbrescue/recovery.conf");
        // the control each type asks for, named in words, the key in the tooltip
        CheckBox dryRun = robot.lookup("#setting-dry_run_mode").queryAs(CheckBox.class);
        assertThat(dryRun.isSelected()).isFalse();
        Label dryRunName = robot.lookup("#settingName-dry_run_mode").queryAs(Label.class);
        assertThat(dryRunName.getText()).isEqualTo("Dry run only (change nothing)");
        assertThat(dryRunName.getTooltip().getText()).startsWith("dry_run_mode in recovery.conf");
        assertThat(dryRun.getTooltip().getText()).startsWith("dry_run_mode");
        @SuppressWarnings("unchecked")
        ComboBox<String> strategy = robot.lookup("#setting-preferred_migration_strategy").queryAs(ComboBox.class);
        assertThat(strategy.getItems()).containsExactly("direct", "container_based", "dump_restore");
        assertThat(strategy.getConverter().toString("dump_restore")).isEqualTo("Dump and restore");
        assertThat(robot.lookup("#setting-log_level").queryAs(Node.class)).isInstanceOf(ComboBox.class);
        assertThat(robot.lookup("#setting-enable_metrics").queryAs(Node.class)).isInstanceOf(CheckBox.class);
        TextField jobs = robot.lookup("#setting-max_parallel_operations").queryAs(TextField.class);
        robot.interact(() -> jobs.setText(""));
        robot.clickOn(jobs).write("x5y");
        assertThat(jobs.getText()).as("a number field takes digits only").isEqualTo("5");
        assertThat(jobs.getPromptText()).isEqualTo("1 to 8");
        assertThat(robot.lookup("#setting-backup_path").queryAs(Node.class)).isInstanceOf(TextField.class);
        Screenshots.both(robot, (Stage) dryRun.getScene().getWindow(), "settings");

        // leaving with unsaved changes asks: Stay keeps the page, Discard drops the changes
        robot.clickOn(dryRun);
        robot.clickOn("#settingsClose");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#unsavedQuestion").tryQuery()).isPresent();
        assertThat(robot.lookup("#unsavedQuestion").queryAs(DialogPane.class).getHeaderText())
                .isEqualTo("2 settings are changed but not saved.");
        robot.clickOn(dialogButton(robot, "Stay"));
        assertThat(robot.lookup("#settings").tryQuery()).isPresent();
        assertThat(dryRun.isSelected()).isTrue();
        robot.clickOn("#settingsClose");
        robot.clickOn(dialogButton(robot, "Discard"));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#settings").tryQuery()).isEmpty();
        assertThat(file).doesNotExist();

        // again, and Save
        robot.clickOn("#openSettings");
        WaitForAsyncUtils.waitForFxEvents();
        CheckBox again = robot.lookup("#setting-dry_run_mode").queryAs(CheckBox.class);
        assertThat(again.isSelected()).isFalse();
        robot.clickOn(again);
        @SuppressWarnings("unchecked")
        ComboBox<String> strategyAgain = robot.lookup("#setting-preferred_migration_strategy").queryAs(ComboBox.class);
        robot.interact(() -> strategyAgain.setValue("dump_restore"));
        robot.clickOn("#settingsClose");
        robot.clickOn(dialogButton(robot, "Save"));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#settings").tryQuery()).isEmpty();
        assertThat(Files.readString(file)).contains("dry_run_mode = true").contains("preferred_migration_strategy = dump_restore");

        // nothing changed: Close closes without a question
        robot.clickOn("#openSettings");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#setting-dry_run_mode").queryAs(CheckBox.class).isSelected()).isTrue();
        robot.clickOn("#settingsClose");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#unsavedQuestion").tryQuery()).isEmpty();
        assertThat(robot.lookup("#settings").tryQuery()).isEmpty();
    }

    private static Button dialogButton(FxRobot robot, String text) {
        return robot.lookup((Node n) -> n instanceof Button b && text.equals(b.getText())
                && b.getParent() != null && b.getScene().getRoot() instanceof DialogPane).queryButton();
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
