package io.dbrescue.gui;

import io.dbrescue.plan.Decision;
import io.dbrescue.plan.Strategy;
import io.dbrescue.run.Journal;
import io.dbrescue.run.RunResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The wizard's rules, on plain JUnit: no FX thread, no controls; the work runs in place. */
class WizardViewModelTest {
    @TempDir
    Path backup;
    @TempDir
    Path out;

    FakeRecoveryService service = new FakeRecoveryService();
    List<String> asked = new ArrayList<>();
    boolean answer = true;
    int closed;
    Wizard w;

    @BeforeEach
    void setUp() throws Exception {
        sqlite(backup.resolve("notes.db"));
        sqlite(backup.resolve("app/shop.sqlite"));
        w = new Wizard(service, new DirectJobs(), (title, text, yes) -> {
            asked.add(title);
            return answer;
        }, () -> closed++, List.of());
    }

    static void sqlite(Path file) throws Exception {
        Files.createDirectories(file.getParent());
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)");
            s.execute("INSERT INTO notes (body) VALUES ('hello')");
        }
    }

    private void walkTo(WizardStep step) {
        w.model.folder.set(backup.toString());
        while (w.navigation.current().get() != step) {
            assertThat(w.navigation.nextBlocked().get()).as("blocked at " + w.navigation.current().get()).isEmpty();
            w.navigation.next();
        }
    }

    @Test
    void sourceExplainsAMissingFolderAndBlocksNext() {
        w.model.folder.set(backup.resolve("unplugged").toString());
        assertThat(w.navigation.nextBlocked().get()).contains("does not exist").contains("is the backup disk mounted");
        w.navigation.next();
        assertThat(w.navigation.current().get()).isEqualTo(WizardStep.SOURCE);
        w.model.folder.set(backup.resolve("notes.db").toString());
        assertThat(w.navigation.nextBlocked().get()).contains("is a file, not a folder");
        w.model.folder.set("");
        assertThat(w.navigation.nextBlocked().get()).isEqualTo("Choose the folder that holds your backup.");
        assertThat(w.navigation.canGoBack().get()).isFalse();
    }

    @Test
    void scanListsFindingsChosenByDefaultAndUnticking() {
        walkTo(WizardStep.SCAN);
        assertThat(w.scan.rows()).extracting(r -> r.finding().getPath()).containsExactly("app/shop.sqlite", "notes.db");
        assertThat(w.scan.status().get()).startsWith("2 databases found");
        assertThat(w.model.chosen).hasSize(2);
        w.scan.rows().forEach(r -> r.chosen().set(false));
        assertThat(w.navigation.nextBlocked().get()).isEqualTo("Tick at least one database to bring back.");
        w.scan.rows().get(1).chosen().set(true);
        assertThat(w.model.chosen).extracting(f -> f.getPath()).containsExactly("notes.db");
        assertThat(ScanViewModel.details(w.scan.rows().get(1).finding())).contains("SQLite").contains("notes.db");
    }

    @Test
    void anEmptyFolderSaysSoAndCannotGoOn() throws Exception {
        Path empty = Files.createDirectory(out.resolve("empty"));
        w.model.folder.set(empty.toString());
        w.navigation.next();
        assertThat(w.navigation.nextBlocked().get())
                .isEqualTo("No database found. Go Back to choose another folder, or mount the backup disk and press Scan again.");
        assertThat(w.scan.status().get()).isEqualTo(empty + " is empty: there is nothing in it to look at.");
        assertThat(w.scan.emptyText().get()).contains("Is the backup disk mounted?").contains(io.dbrescue.scan.EmptyScan.LOOKS_FOR);
    }

    @Test
    void aFolderWithoutDatabasesSaysWhatWasLookedAt() throws Exception {
        Path none = Files.createDirectories(out.resolve("no-db/home/alex"));
        Files.writeString(none.resolve("todo.txt"), "milk");
        Files.writeString(none.resolve("notes.md"), "# notes");
        w.model.folder.set(out.resolve("no-db").toString());
        w.navigation.next();
        assertThat(w.scan.status().get()).isEqualTo("No database found in " + out.resolve("no-db")
                + ": dbrescue looked at 2 files in 3 folders.");
        assertThat(w.scan.emptyText().get()).contains("Is the backup disk mounted, and is this the folder")
                .contains("SQLite files, Redis snapshots (dump.rdb)");
    }

    @Test
    void targetShowsTheMachineAndOneCardForTheFiles() {
        walkTo(WizardStep.TARGET);
        assertThat(w.target.facts()).anyMatch(l -> l.startsWith("Podman 4.3.1"));
        // only SQLite files are chosen: one card, for the files; the PostgreSQL server is not asked about
        assertThat(w.target.cards()).containsExactly(ServerCard.FILES);
        w.model.form(ServerCard.POSTGRESQL).port.set("99999");
        assertThat(w.navigation.nextBlocked().get()).isEmpty();
        w.model.form(ServerCard.FILES).folder.set("/tmp/restored-here");
        w.navigation.next();
        var request = w.model.plan.get().request();
        assertThat(request.target().port()).isNull();
        assertThat(request.servers()).containsOnlyKeys(io.dbrescue.scan.Engine.SQLITE);
        assertThat(request.forEngine(io.dbrescue.scan.Engine.SQLITE).target().dataDir()).hasToString("/tmp/restored-here");
        assertThat(request.forEngine(io.dbrescue.scan.Engine.SQLITE).target().dataIsFolder()).isTrue();
    }

    @Test
    void aPortProblemOnAShownCardBlocks() {
        walkTo(WizardStep.TARGET);
        w.navigation.back();
        w.navigation.back();
        // the PostgreSQL card is shown once a PostgreSQL finding is chosen; its port is checked
        w.model.chosen.add(new io.dbrescue.scan.Finding(io.dbrescue.scan.Engine.POSTGRESQL,
                io.dbrescue.scan.Kind.DUMP).path("shop.dump").version("15"));
        assertThat(w.target.cards()).containsExactly(ServerCard.POSTGRESQL, ServerCard.FILES);
        w.model.form(ServerCard.POSTGRESQL).port.set("99999");
        assertThat(w.target.blocked().get()).startsWith("PostgreSQL server: The port must be a number from 1 to 65535");
        w.model.form(ServerCard.POSTGRESQL).port.set("5433");
        assertThat(w.target.blocked().get()).isEmpty();
    }

    @Test
    void choosingAnotherStrategyPlansAgain() {
        walkTo(WizardStep.STRATEGY);
        Decision d = w.strategy.decisions().get(1);
        assertThat(d.strategy()).isEqualTo(Strategy.DUMP_RESTORE);
        assertThat(StrategyViewModel.options(d)).extracting(StrategyViewModel.Option::strategy, StrategyViewModel.Option::possible)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Strategy.DUMP_RESTORE, true),
                        org.assertj.core.groups.Tuple.tuple(Strategy.DIRECT, true),
                        org.assertj.core.groups.Tuple.tuple(Strategy.CONTAINER, false));
        w.strategy.choose("notes.db", Strategy.DIRECT);
        assertThat(service.plans).hasSize(2);
        assertThat(service.plans.get(1)).isEqualTo(Map.of("notes.db", Strategy.DIRECT));
        assertThat(w.strategy.decisions().get(1).strategy()).isEqualTo(Strategy.DIRECT);
        assertThat(w.strategy.decisions().get(0).strategy()).isEqualTo(Strategy.DUMP_RESTORE);
        assertThat(w.model.plan.get().steps()).anyMatch(s -> s.title().equals("Copy notes.db (direct)"));
    }

    @Test
    void aFailingCheckBlocksThePreflightWithItsFix() {
        service.failPreflight = true;
        walkTo(WizardStep.PREFLIGHT);
        assertThat(w.preflight.counts().get()).isEqualTo("2 passed, 2 warnings, 2 failed");
        assertThat(w.navigation.nextBlocked().get()).startsWith("2 checks failed")
                .contains("sqlite3 is not installed").contains("Install it: apt install sqlite3");
        w.navigation.next();
        assertThat(w.navigation.current().get()).isEqualTo(WizardStep.PREFLIGHT);
        service.failPreflight = false;
        w.preflight.recheck();
        assertThat(w.navigation.nextBlocked().get()).isEmpty();
        w.navigation.next();
        assertThat(w.navigation.current().get()).isEqualTo(WizardStep.PREVIEW);
    }

    @Test
    void previewShowsCommandsRootNoteAndExportsTheDryRun() throws Exception {
        service.root = false;
        walkTo(WizardStep.PREVIEW);
        assertThat(PreviewViewModel.command(w.preview.steps().get(0))).isEqualTo("cp -- app/shop.sqlite /srv/restored/app/shop.sqlite");
        assertThat(w.preview.totals().get()).startsWith("4 steps, 8.2 kB to move, 2 need root");
        assertThat(w.preview.rootNote().get()).startsWith("2 steps need root and dbrescue runs as you")
                .contains("password dialog asks (pkexec)").contains("\n  1.2  ").doesNotContain("sudo");
        w.model.dryRunOnly.set(true);
        assertThat(w.navigation.nextText().get()).isEqualTo("_Finish dry run");
        w.navigation.next();
        assertThat(asked).isEmpty();
        assertThat(w.navigation.current().get()).isEqualTo(WizardStep.SUMMARY);
        assertThat(w.summary.headline().get()).startsWith("Dry run: nothing was changed. The plan has 4 steps");
        assertThat(w.navigation.canGoBack().get()).isTrue();
        w.summary.exportMarkdown(out.resolve("plan.md"));
        w.summary.exportJson(out.resolve("plan.json"));
        assertThat(Files.readString(out.resolve("plan.md"))).contains("# dbrescue plan").contains("### 1.2 Set the owner (needs root)");
        assertThat(Files.readString(out.resolve("plan.json"))).contains("\"steps\"").contains("\"dump-restore\"");
        w.navigation.back();
        assertThat(w.navigation.current().get()).isEqualTo(WizardStep.PREVIEW);
    }

    @Test
    void theRunAsksFirstAndThenThereIsNoWayBack() {
        walkTo(WizardStep.PREVIEW);
        answer = false;
        w.navigation.next();
        assertThat(asked).containsExactly("Run the restore?");
        assertThat(w.navigation.current().get()).isEqualTo(WizardStep.PREVIEW);
        assertThat(w.model.runStarted.get()).isFalse();
        answer = true;
        w.model.form(ServerCard.POSTGRESQL).password.set("s3cret");
        w.navigation.next();
        // the fake run finishes at once: the wizard moved on to the summary by itself
        assertThat(w.navigation.current().get()).isEqualTo(WizardStep.SUMMARY);
        assertThat(w.navigation.canGoBack().get()).isFalse();
        w.navigation.back();
        w.navigation.jumpTo(WizardStep.SOURCE);
        assertThat(w.navigation.current().get()).isEqualTo(WizardStep.SUMMARY);
        assertThat(w.summary.headline().get()).isEqualTo("All 2 databases were restored.");
        assertThat(w.run.overall().get()).isEqualTo(1.0);
        assertThat(w.run.log()).contains("Step 1.1: Copy app/shop.sqlite (dump-restore)");
        // SQLite needs no password: none is handed over; a PostgreSQL finding would get PGPASSWORD
        assertThat(service.secretsSeen).containsExactly(Map.of());
        assertThat(w.navigation.cancelText().get()).isEqualTo("_Close");
        w.navigation.cancel();
        assertThat(closed).isEqualTo(1);
        assertThat(asked).containsExactly("Run the restore?", "Run the restore?"); // the summary closes without asking
    }

    @Test
    void cancelAsksBeforeThrowingAwayAScanAndTheChoices() {
        w.navigation.cancel(); // nothing done yet on Source: closes at once
        assertThat(closed).isEqualTo(1);
        assertThat(asked).isEmpty();
        walkTo(WizardStep.STRATEGY);
        answer = false; // "Keep working"
        assertThat(w.navigation.cancel()).isFalse();
        assertThat(asked).containsExactly("Close dbrescue?");
        assertThat(closed).isEqualTo(1);
        assertThat(w.navigation.current().get()).isEqualTo(WizardStep.STRATEGY);
        answer = true;
        assertThat(w.navigation.cancel()).isTrue();
        assertThat(closed).isEqualTo(2);
    }

    @Test
    void cancelAfterAScanThatFoundNothingClosesWithoutAsking() throws Exception {
        w.model.folder.set(Files.createDirectory(out.resolve("nothing")).toString());
        w.navigation.next();
        assertThat(w.navigation.current().get()).isEqualTo(WizardStep.SCAN);
        w.navigation.cancel();
        assertThat(asked).isEmpty();
        assertThat(closed).isEqualTo(1);
    }

    @Test
    void summaryTexts() {
        Map<String, Object> none = Map.of();
        RunResult partial = new RunResult("r", List.of(
                new RunResult.GroupResult("a", Journal.Outcome.RESTORED, "Restored.", null, null, Map.of("rowCounts", "t: 3")),
                new RunResult.GroupResult("b", Journal.Outcome.FAILED, "psql could not log in.", "Set the password.", "auth", none),
                new RunResult.GroupResult("c", Journal.Outcome.SKIPPED, "Not started.", null, null, none)), false, Path.of("/j.json"));
        assertThat(SummaryViewModel.headline(partial)).isEqualTo("Partly restored: 1 of 3 databases restored, 1 failed, 1 skipped."
                + " The failed ones were rolled back; see why below.");
        assertThat(SummaryViewModel.resumable(partial)).isFalse();
        assertThat(SummaryViewModel.describe(partial.groups().get(1))).isEqualTo("psql could not log in.\nFix: Set the password.");
        assertThat(SummaryViewModel.describe(partial.groups().get(0))).isEqualTo("Restored.\nRows per table: t: 3");
        RunResult cancelled = new RunResult("r", List.of(
                new RunResult.GroupResult("a", Journal.Outcome.CANCELLED, "Cancelled.", null, null, none)), true, Path.of("/j.json"), true);
        assertThat(SummaryViewModel.headline(cancelled)).startsWith("Cancelled after 0 of 1 database were restored.")
                .contains("put back exactly as it was before the run");
        RunResult stopped = new RunResult("r", cancelled.groups(), true, Path.of("/j.json"), false);
        assertThat(SummaryViewModel.headline(stopped)).startsWith("Stopped after 0 of 1 database were restored.")
                .contains("Resume continues where the run stopped");
        assertThat(SummaryViewModel.resumable(stopped)).isTrue();
        assertThat(SummaryViewModel.resumable(cancelled)).isTrue();
        RunResult failed = new RunResult("r", List.of(
                new RunResult.GroupResult("b", Journal.Outcome.FAILED, "x", "y", "auth", none)), false, Path.of("/j.json"));
        assertThat(SummaryViewModel.headline(failed)).startsWith("Nothing was restored: 1 failed.");
        assertThat(Reports.markdown(partial)).contains("## Failed: b").contains("**Fix:** Set the password.").contains("- Rows per table: t: 3")
                .doesNotContain("rowCounts");
        assertThat(RunViewModel.speed(48 * 1024 * 1024, 125)).isEqualTo("50 MB/s, about 2 min left");
        assertThat(RunViewModel.speed(0, -1)).isEmpty();
    }

    @Test
    void anInterruptedRunIsOfferedAndResumed() {
        // the fake cannot resume: the failure is shown on the run step, which cannot be left backwards
        walkTo(WizardStep.PREVIEW);
        RecoveryService.Interrupted run = new RecoveryService.Interrupted("r1", w.model.plan.get(), "yesterday", 1);
        assertThat(run.describe()).contains("stopped after 1 of 4 steps");
        w.navigation.resume(run);
        assertThat(w.navigation.current().get()).isEqualTo(WizardStep.RUN);
        assertThat(w.run.error().get()).contains("no journal r1").contains("Resume continues");
        assertThat(w.navigation.canGoBack().get()).isFalse();
    }

    @Test
    void theUpgradeMethodChosenInTheWindowGoesIntoTheNextPlan() {
        walkTo(WizardStep.STRATEGY);
        assertThat(service.requests).isNotEmpty();
        assertThat(service.requests.get(service.requests.size() - 1).containers().method())
                .isEqualTo(io.dbrescue.plan.Containers.UpgradeMethod.AUTO);
        int before = service.requests.size();
        w.strategy.chooseUpgradeMethod(io.dbrescue.plan.Containers.UpgradeMethod.DUMP);
        assertThat(service.requests).hasSize(before + 1);
        assertThat(service.requests.get(before).containers().method())
                .isEqualTo(io.dbrescue.plan.Containers.UpgradeMethod.DUMP);
        w.strategy.chooseUpgradeMethod(io.dbrescue.plan.Containers.UpgradeMethod.DUMP);
        assertThat(service.requests).as("the same choice again does not plan again").hasSize(before + 1);
    }
}
