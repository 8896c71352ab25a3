package io.dbrescue.gui;

import javafx.geometry.Bounds;
import javafx.geometry.Orientation;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.ButtonBase;
import javafx.scene.control.Control;
import javafx.scene.control.ListView;
import javafx.scene.control.ScrollBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The wizard's layout at the sizes people have: the smallest window (800 × 600), a full-HD screen, and a full-HD
 * screen at GDK_SCALE=2, where JavaFX lays out in units of two pixels and {@link WindowSize} gives the window
 * 960 × 500 of them. On every step every control outside a scrolled area lies inside the window (no button
 * pushed off), the Scan table shows all its columns without a horizontal scroll bar, and the details pane under
 * it has room for several lines.
 */
@ExtendWith(ApplicationExtension.class)
class WizardLayoutWindowTest {
    @TempDir
    static Path state;
    @TempDir
    Path backup;

    final FakeRecoveryService fake = new FakeRecoveryService();
    Stage stage;
    WizardView view;

    @AfterAll
    static void forgetTheStateFolder() {
        System.clearProperty("dbrescue.state.dir");
    }

    @Start
    void start(Stage s) {
        System.setProperty("dbrescue.state.dir", state.toString());
        stage = s;
    }

    @BeforeEach
    void backup() throws Exception {
        WizardViewModelTest.sqlite(backup.resolve("notes.db"));
        // a long path: the Path column shortens it, it does not push the other columns out
        WizardViewModelTest.sqlite(backup.resolve("home/developer/projects/customer-portal-2019/backend/data/"
                + "production-snapshot/shop.sqlite"));
        // the longest name the Database column shows: "PostgreSQL data directory" (a cluster without its WAL)
        postgresDataDirectory(backup.resolve("var/lib/postgresql/15/main"));
    }

    /** PG_VERSION, base/ and a pg_control of PostgreSQL 15 (shut down cleanly) with its CRC-32C. */
    static void postgresDataDirectory(Path dir) throws Exception {
        Files.createDirectories(dir.resolve("global"));
        Files.createDirectories(dir.resolve("base/1"));
        Files.writeString(dir.resolve("PG_VERSION"), "15\n");
        Files.writeString(dir.resolve("base/1/1259"), "x");
        byte[] control = new byte[8192];
        ByteBuffer.wrap(control).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 7_000_000_000_000_000_001L)
                .putInt(8, 1300).putInt(12, 202209061).putInt(16, 1);
        CRC32C crc = new CRC32C();
        crc.update(control, 0, 288);
        ByteBuffer.wrap(control).order(ByteOrder.LITTLE_ENDIAN).putInt(288, (int) crc.getValue());
        Files.write(dir.resolve("global/pg_control"), control);
    }

    @AfterEach
    void release() {
        fake.cancel();
    }

    @ParameterizedTest(name = "{0} x {1}")
    @CsvSource({"800, 600", "1100, 750", "1920, 1080", "960, 500"})
    void everyStepFitsTheWindow(double width, double height, FxRobot robot) throws Exception {
        fake.servers = aBusyMachine(); // Target lists them all: taller than a small window
        robot.interact(() -> {
            view = new WizardView(new Wizard(fake, new FxJobs(), new AlertDialogs(), () -> { }, List.of()));
            stage.setScene(new Scene(view, width, height));
            stage.show();
            view.wizard().model.folder.set(backup.toString());
            view.wizard().model.dryRunOnly.set(true); // Preview's Next finishes without the run question
        });
        List<String> problems = new ArrayList<>();
        while (true) {
            WizardStep step = view.wizard().navigation.current().get();
            WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> view.wizard().navigation.canGoNext()
                    || step == WizardStep.SUMMARY);
            WaitForAsyncUtils.waitForFxEvents();
            robot.interact(() -> problems.addAll(outside(view.view(step), step)));
            if (step == WizardStep.SCAN) {
                robot.interact(() -> problems.addAll(scanTable()));
            }
            if (step == WizardStep.PREVIEW) {
                robot.interact(() -> problems.addAll(columnsFit("PREVIEW", (TableView<?>) view.lookup("#steps"),
                        Set.of("#", "Step", "Bytes", "Root"))));
            }
            if (step == WizardStep.SUMMARY) {
                break;
            }
            robot.interact(() -> view.wizard().navigation.next());
        }
        assertThat(problems).as("at %s x %s", width, height).isEmpty();
    }

    /** Two PostgreSQL versions with two clusters each, MariaDB and Redis, as on a machine that has had upgrades. */
    private static List<io.dbrescue.machine.InstalledServer> aBusyMachine() {
        List<io.dbrescue.machine.InstalledServer> servers = new ArrayList<>();
        for (String major : List.of("15", "16")) {
            servers.add(new io.dbrescue.machine.InstalledServer(io.dbrescue.scan.Engine.POSTGRESQL, major + ".8",
                    Path.of("/usr/lib/postgresql/" + major + "/bin"), List.of(
                    new io.dbrescue.machine.InstalledServer.Cluster(Path.of("/var/lib/postgresql/" + major + "/main"),
                            major.equals("15") ? 5432 : 5433, true, "postgres"),
                    new io.dbrescue.machine.InstalledServer.Cluster(Path.of("/var/lib/postgresql/" + major + "/reports"),
                            major.equals("15") ? 5434 : 5435, false, "postgres"))));
        }
        servers.add(new io.dbrescue.machine.InstalledServer(io.dbrescue.scan.Engine.MARIADB, "10.11.6",
                Path.of("/usr/sbin"), List.of(new io.dbrescue.machine.InstalledServer.Cluster(Path.of("/var/lib/mysql"),
                3306, true, "mysql"))));
        servers.add(new io.dbrescue.machine.InstalledServer(io.dbrescue.scan.Engine.REDIS, "7.0.15",
                Path.of("/usr/bin"), List.of(new io.dbrescue.machine.InstalledServer.Cluster(Path.of("/var/lib/redis"),
                6379, true, "redis"))));
        return servers;
    }

    /** Controls of the window and of this step that do not lie wholly inside the window. */
    private List<String> outside(Node stepView, WizardStep step) {
        List<String> out = new ArrayList<>();
        Scene scene = view.getScene();
        List<Node> nodes = new ArrayList<>();
        controls(view, stepView, nodes);
        for (Node n : nodes) {
            Bounds b = n.localToScene(n.getLayoutBounds());
            boolean inside = b.getMinX() >= -0.5 && b.getMinY() >= -0.5 && b.getMaxX() <= scene.getWidth() + 0.5
                    && b.getMaxY() <= scene.getHeight() + 0.5;
            boolean squeezed = n instanceof ButtonBase bb && bb.getWidth() + 0.5 < bb.prefWidth(-1);
            if (!inside || squeezed) {
                out.add(step + ": " + n + (squeezed ? " cut short" : "") + " at " + b);
            }
        }
        return out;
    }

    /**
     * The shown controls, not looking into scrolled areas (a scroll pane, a table or list scrolls its content)
     * nor into the steps that are not shown.
     */
    private static void controls(Node node, Node stepView, List<Node> out) {
        if (!node.isVisible() || node.getId() != null && node.getId().startsWith("step-") && node != stepView) {
            return;
        }
        if (node instanceof Control) {
            out.add(node);
        }
        if (node instanceof ScrollPane || node instanceof TableView<?> || node instanceof ListView<?>
                || node instanceof TextArea) {
            return;
        }
        if (node instanceof Parent p) {
            for (Node child : p.getChildrenUnmodifiable()) {
                controls(child, stepView, out);
            }
        }
    }

    /**
     * A table shows every column without scrolling sideways, each wide enough to read, and the cells of the
     * {@code whole} columns with all their text (JavaFX draws a cut text with an ellipsis in the cell's text node).
     */
    private static List<String> columnsFit(String step, TableView<?> table, Set<String> whole) {
        List<String> out = new ArrayList<>();
        table.layout();
        for (Node n : table.lookupAll(".scroll-bar")) {
            if (n instanceof ScrollBar bar && bar.getOrientation() == Orientation.HORIZONTAL && bar.isVisible()) {
                out.add(step + ": the table scrolls sideways (a column is hidden)");
            }
        }
        table.getColumns().forEach(c -> {
            if (c.getWidth() < 40 || c.getWidth() < 60 && !whole.contains(c.getText())) {
                out.add(step + ": column " + c.getText() + " is " + c.getWidth() + " wide");
            }
        });
        int cells = 0;
        for (Node n : table.lookupAll(".table-cell")) {
            if (!(n instanceof TableCell<?, ?> cell) || cell.isEmpty() || cell.getTableColumn() == null
                    || !whole.contains(cell.getTableColumn().getText()) || !Ui.shown(cell)) {
                continue;
            }
            Bounds box = cell.localToScene(cell.getLayoutBounds());
            for (Text shown : texts(cell)) {
                if (shown.getText() == null || shown.getText().isEmpty()) {
                    continue;
                }
                cells++;
                // the cell's own text, cut to fit, or a text (wrapped) that runs out of the cell's box
                boolean cut = shown.getParent() == cell && !shown.getText().equals(cell.getText());
                Bounds b = shown.localToScene(shown.getLayoutBounds());
                boolean spills = b.getMinY() < box.getMinY() - 1 || b.getMaxY() > box.getMaxY() + 1
                        || b.getMaxX() > box.getMaxX() + 1;
                if (cut || spills) {
                    out.add(step + ": " + cell.getTableColumn().getText() + " shows '" + shown.getText() + "'"
                            + (cut ? " of '" + cell.getText() + "'" : " outside its cell " + box + ": " + b));
                }
            }
        }
        if (cells == 0) {
            out.add(step + ": no text cell of " + whole + " found to check");
        }
        return out;
    }

    private static List<Text> texts(Node n) {
        List<Text> out = new ArrayList<>();
        if (n instanceof Text t && t.isVisible()) {
            out.add(t);
        } else if (n instanceof Parent p) {
            p.getChildrenUnmodifiable().forEach(c -> out.addAll(texts(c)));
        }
        return out;
    }

    /** The findings table: no horizontal scroll bar, every column wide enough to read; the details pane readable. */
    private List<String> scanTable() {
        List<String> out = new ArrayList<>();
        TableView<?> table = (TableView<?>) view.lookup("#findings");
        table.getSelectionModel().select(0);
        // a long path may lose its start (its tooltip and the details say it whole); a name, version, size may not
        out.addAll(columnsFit("SCAN", table, Set.of("Restore", "Database", "Version", "Size")));
        TextArea details = (TextArea) view.lookup("#details");
        if (details == null || !details.isVisible() || details.getHeight() < 4 * 17) {
            out.add("SCAN: the details pane has no room for four lines ("
                    + (details == null ? "absent" : details.getHeight() + " high") + ")");
        }
        return out;
    }
}
