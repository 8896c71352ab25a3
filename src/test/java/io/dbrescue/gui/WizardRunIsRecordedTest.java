package io.dbrescue.gui;

import io.dbrescue.testing.FreePorts;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbrescue.app.RescueService;
import io.dbrescue.cli.CliRun;
import io.dbrescue.history.History;
import io.dbrescue.settings.AppPaths;
import io.dbrescue.settings.Settings;
import javafx.collections.ListChangeListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run started from the window takes the command line's road: the window's service is made the way
 * {@code dbrescue gui} makes it (the settings of that start, the history in the state folder), the wizard's
 * view models drive the real engine, and the run reaches what every run reaches — the metrics endpoint while it
 * runs (enable_metrics) and {@code dbrescue history} afterwards.
 */
class WizardRunIsRecordedTest {
    @TempDir
    Path home;
    @TempDir
    Path backup;
    @TempDir
    Path restored;
    private String previousState;

    @BeforeEach
    void pointTheFoldersHere() {
        // the XDG folders of a user (as CliRun does); runs, journals and history all under home/state
        System.setProperty("dbrescue.env.XDG_CONFIG_HOME", home.resolve("config").toString());
        System.setProperty("dbrescue.env.XDG_STATE_HOME", home.resolve("state").toString());
        previousState = System.clearProperty("dbrescue.state.dir"); // other window tests leave theirs set
    }

    @AfterEach
    void putThemBack() {
        System.clearProperty("dbrescue.env.XDG_CONFIG_HOME");
        System.clearProperty("dbrescue.env.XDG_STATE_HOME");
        if (previousState != null) {
            System.setProperty("dbrescue.state.dir", previousState);
        }
    }

    @Test
    void aRunFromTheWindowIsInTheMetricsWhileItRunsAndInTheHistoryAfter() throws Exception {
        WizardViewModelTest.sqlite(backup.resolve("notes.db"));
        int port = FreePorts.next();
        // as `dbrescue --set enable_metrics=true --set metrics_port=PORT gui` makes the window's service
        Settings settings = Settings.defaults(AppPaths.current().configFile()).withOverrides(Map.of(
                "enable_metrics", "true", "metrics_port", Integer.toString(port)));
        List<String> notices = new CopyOnWriteArrayList<>();
        RescueService rescue = new RescueService(settings, new History(AppPaths.current().historyFile()), notices::add);
        Wizard w = new Wizard(new EngineRecoveryService(rescue), new DirectJobs(), (title, text, yes) -> true,
                () -> { }, List.of());

        List<String> scraped = new CopyOnWriteArrayList<>();
        w.run.log().addListener((ListChangeListener<String>) change -> {
            // the first step's line: the run is under way, so its metrics are being served
            if (scraped.isEmpty() && change.getList().stream().anyMatch(l -> l.startsWith("Step 1.1"))) {
                scraped.add(scrape(port));
            }
        });
        w.model.folder.set(backup.toString());
        walkTo(w, WizardStep.TARGET);
        w.model.form(ServerCard.FILES).folder.set(restored.toString());
        walkTo(w, WizardStep.SUMMARY);

        assertThat(w.model.result.get().exitCode()).as(w.run.log().toString()).isZero();
        assertThat(restored.resolve("notes.db")).exists();
        assertThat(notices).isEmpty();
        assertThat(scraped).as("the endpoint answered during the window's run").hasSize(1);
        assertThat(scraped.get(0)).contains("dbrescue_bytes_total " + w.model.plan.get().totalBytes())
                .containsPattern("dbrescue_phase\\{phase=\"[a-z-]+\"} 1");

        CliRun history = CliRun.run(home, "history", "--json");
        assertThat(history.exit).as(history.toString()).isZero();
        JsonNode runs = new ObjectMapper().readTree(history.out).path("runs");
        assertThat(runs).hasSize(1);
        assertThat(runs.get(0).path("runId").asText()).isEqualTo(w.model.result.get().runId());
        assertThat(runs.get(0).path("engine").asText()).isEqualTo("sqlite");
        assertThat(runs.get(0).path("sourcePath").asText()).isEqualTo("notes.db");
        assertThat(runs.get(0).path("outcome").asText()).isEqualTo("success");
    }

    private static void walkTo(Wizard w, WizardStep step) {
        while (w.navigation.current().get() != step) {
            assertThat(w.navigation.nextBlocked().get()).as("blocked at " + w.navigation.current().get()).isEmpty();
            w.navigation.next();
        }
    }

    private static String scrape(int port) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() + "\n" + r.body();
        } catch (IOException e) {
            return "no answer: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
