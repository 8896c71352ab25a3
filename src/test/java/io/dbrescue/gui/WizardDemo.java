package io.dbrescue.gui;

import io.dbrescue.plan.Check;
import io.dbrescue.plan.Decision;
import io.dbrescue.plan.Plan;
import io.dbrescue.plan.RecoveryRequest;
import io.dbrescue.plan.Step;
import io.dbrescue.plan.Strategy;
import io.dbrescue.run.Journal;
import io.dbrescue.run.ProgressEvent;
import io.dbrescue.run.ProgressListener;
import io.dbrescue.run.RunResult;
import io.dbrescue.scan.Finding;
import io.dbrescue.scan.ScanResult;
import io.dbrescue.machine.Target;
import javafx.application.Application;
import javafx.scene.Scene;
import javafx.stage.Stage;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The real window over the real scanner with a stand-in planner and runner, for screenshots of the
 * steps whose engine strategies are still being written (docs only; not a test):
 * {@code java -cp target/test-classes:target/dbrescue.jar io.dbrescue.gui.WizardDemo\$Launch DIR}.
 * The run moves one step every {@code demo.stepMillis} (default 1500 ms).
 */
public final class WizardDemo extends Application {
    /** The entry point (a class that is not an Application, so the shaded jar's JavaFX is used). */
    public static final class Launch {
        public static void main(String[] args) {
            Application.launch(WizardDemo.class, args);
        }
    }

    @Override
    public void start(Stage stage) {
        Path folder = getParameters().getRaw().isEmpty() ? null : Path.of(getParameters().getRaw().get(0));
        WizardView view = DbRescueApp.create(stage, new DemoService(), new FxJobs(), folder);
        stage.setTitle("dbrescue — bring back the databases from a backup");
        stage.getIcons().setAll(Icons.app());
        stage.setScene(new Scene(view, 1100, 720));
        stage.show();
    }

    static final class DemoService extends FakeRecoveryService {
        @Override
        public Target discover() {
            Target t = super.discover();
            return new Target(t.servers(), t.podmanVersion(), false);
        }

        @Override
        public Plan plan(RecoveryRequest request, ScanResult scan, Target target, Map<String, Strategy> strategies,
                         Map<String, String> secrets) {
            List<Decision> decisions = new ArrayList<>();
            List<Check> checks = new ArrayList<>();
            List<Step> steps = new ArrayList<>();
            int n = 0;
            checks.add(Check.pass(null, "disk space", "Enough free space in /var/lib: 41 GB free, 92 MB needed (copies and safety copies counted)."));
            for (String path : request.selections()) {
                n++;
                Finding f = scan.findings().stream().filter(x -> x.getPath().equals(path)).findFirst().orElseThrow();
                String src = request.backupRoot().resolve(path).toString();
                switch (f.getEngine()) {
                    case POSTGRESQL -> {
                        if (f.getKind().id().equals("dump")) {
                            decisions.add(new Decision(path, f.getEngine(), "dump", f.getVersion(), Strategy.DUMP_RESTORE,
                                    "A pg_dump archive goes into the running PostgreSQL 16 with pg_restore.",
                                    List.of(new Decision.Alternative(Strategy.DIRECT, false, "a dump is not a data directory"),
                                            new Decision.Alternative(Strategy.CONTAINER, false, "the installed pg_restore 16 reads this dump"))));
                            checks.add(Check.pass(path, "pg_restore", "pg_restore 16.4 reads archive version 1.15."));
                            checks.add(Check.warn(path, "database exists", "There is no database 'shop' yet; it will be created.", "Nothing to do."));
                            steps.add(step(n, 1, path, "pg-create-db", "Create the database shop",
                                    List.of("/usr/lib/postgresql/16/bin/createdb", "-h", "127.0.0.1", "-p", "5432", "-U", "postgres", "shop"),
                                    "", "server 127.0.0.1:5432", 0, false, "drop the database shop"));
                            steps.add(step(n, 2, path, "pg-restore", "Restore shop.dump into shop",
                                    List.of("/usr/lib/postgresql/16/bin/pg_restore", "-h", "127.0.0.1", "-p", "5432", "-U", "postgres",
                                            "-d", "shop", "-j", "2", "--no-owner", src), src, "database shop", f.getSizeBytes(), false,
                                    "drop the database shop"));
                            steps.add(step(n, 3, path, "pg-verify", "Count the rows of every table", List.of(), "database shop", "",
                                    0, false, ""));
                        } else {
                            decisions.add(new Decision(path, f.getEngine(), f.getKind().id(), f.getVersion(), Strategy.CONTAINER,
                                    "PostgreSQL 15 data cannot be opened by the installed 16: an old server runs in a Podman container and pg_dumpall moves the data.",
                                    List.of(new Decision.Alternative(Strategy.DIRECT, false, "no PostgreSQL 15 server is installed"),
                                            new Decision.Alternative(Strategy.DUMP_RESTORE, false, "this is a data directory, not a dump"))));
                            checks.add(Check.pass(path, "podman", "Podman 4.3.1 is installed; image postgres:15 is present."));
                            checks.add(Check.pass(path, "collation", "C.UTF-8 on both sides."));
                            steps.add(step(n, 1, path, "copy-tree", "Copy the data directory to a work folder", List.of(), src,
                                    "/var/lib/dbrescue/work/main", f.getSizeBytes(), true, "delete the work folder"));
                            steps.add(step(n, 2, path, "container-start", "Start PostgreSQL 15 in a container",
                                    List.of("podman", "run", "-d", "--rm", "-p", "127.0.0.1:55432:5432", "-v", "/var/lib/dbrescue/work/main:/var/lib/postgresql/data", "postgres:15"),
                                    "/var/lib/dbrescue/work/main", "container dbrescue-pg15", 0, true, "stop the container"));
                            steps.add(step(n, 3, path, "pg-dumpall-pipe", "Move every database into PostgreSQL 16",
                                    List.of("/usr/lib/postgresql/16/bin/pg_dumpall", "-h", "127.0.0.1", "-p", "55432", "-U", "postgres"),
                                    "container dbrescue-pg15", "server 127.0.0.1:5432", f.getSizeBytes(), false, "drop the databases created"));
                        }
                    }
                    default -> {
                        String into = f.getEngine().id().equals("redis") ? "/var/lib/redis/dump.rdb" : "/home/dev/notes/notes.db";
                        decisions.add(new Decision(path, f.getEngine(), f.getKind().id(), f.getVersion(), Strategy.DIRECT,
                                f.getEngine().displayName() + " " + f.getVersion() + " reads this file as it is: it is copied into place.",
                                List.of(new Decision.Alternative(Strategy.DUMP_RESTORE, false, "there is no dump to restore"),
                                        new Decision.Alternative(Strategy.CONTAINER, false, "the installed version reads it"))));
                        checks.add(Check.pass(path, "target free", into + " does not exist yet."));
                        steps.add(step(n, 1, path, "copy-tree", "Copy " + path + " into place", List.of(), src, into,
                                f.getSizeBytes(), f.getEngine().id().equals("redis"), "delete the copy"));
                    }
                }
            }
            return new Plan("20261121-110000-4f2a", "2026-11-21T11:00:00Z", request, decisions, checks, steps);
        }

        private static Step step(int n, int k, String group, String kind, String title, List<String> argv, String reads,
                                 String writes, long bytes, boolean root, String undo) {
            return new Step(n + "." + k, group, kind, title, argv, reads, writes, bytes, root, undo, Map.of());
        }

        @Override
        public RunResult run(Plan plan, Map<String, String> secrets, ProgressListener listener) {
            long pause = Long.getLong("demo.stepMillis", 1500);
            long total = plan.totalBytes();
            long done = 0;
            List<RunResult.GroupResult> groups = new ArrayList<>();
            for (String g : plan.groups()) {
                for (Step s : plan.steps(g)) {
                    listener.progress(new ProgressEvent(plan.runId(), "step", s.id(), s.title(), 0, s.bytes(), done, total, 0, -1,
                            "Step " + s.id() + ": " + s.title()));
                    for (int i = 1; i <= 10; i++) {
                        sleep(pause / 10);
                        listener.progress(new ProgressEvent(plan.runId(), "step", s.id(), s.title(), s.bytes() * i / 10, s.bytes(),
                                done + s.bytes() * i / 10, total, 38_000_000, Math.max(0, (total - done) / 38_000_000) + 4, null));
                    }
                    done += s.bytes();
                }
                Map<String, Object> report = new LinkedHashMap<>();
                if (g.endsWith("shop.dump")) {
                    groups.add(new RunResult.GroupResult(g, Journal.Outcome.FAILED,
                            "pg_restore could not log in to 127.0.0.1:5432 as postgres (password authentication failed).",
                            "Give the password of the postgres user on the Target step, or add it to ~/.pgpass; then Resume.",
                            "auth", report));
                    listener.progress(new ProgressEvent(plan.runId(), "rollback", null, null, 0, 0, done, total, 0, -1,
                            "Step 1.2 failed: password authentication failed. Rolling back " + g + "."));
                    continue;
                }
                report.put("verified", "server reachable; row counts match the backup");
                report.put("rowCounts", g.endsWith(".db") ? "notes: 2" : g.endsWith(".rdb") ? "keys: 2" : "shop.orders: 5000");
                report.put("safetyCopy", "/var/lib/dbrescue/safety/20261121-110000-4f2a/" + Path.of(g).getFileName());
                groups.add(new RunResult.GroupResult(g, Journal.Outcome.RESTORED, "Restored and verified.", null, null, report));
            }
            return new RunResult(plan.runId(), groups, false, Path.of("/root/.local/state/dbrescue/runs/20261121-110000-4f2a.json"));
        }

        private static void sleep(long ms) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
