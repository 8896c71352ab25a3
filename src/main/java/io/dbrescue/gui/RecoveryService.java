package io.dbrescue.gui;

import io.dbrescue.app.RequestBuilder;
import io.dbrescue.history.History;
import io.dbrescue.plan.Plan;
import io.dbrescue.plan.RecoveryRequest;
import io.dbrescue.plan.Strategy;
import io.dbrescue.run.ProgressListener;
import io.dbrescue.run.RunResult;
import io.dbrescue.scan.ScanListener;
import io.dbrescue.scan.ScanResult;
import io.dbrescue.machine.Target;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything the wizard asks of the engine, in one small interface so that tests can give the
 * wizard a fake. Called from background threads (never the FX thread); listeners are called from
 * the engine's threads.
 */
public interface RecoveryService {

    ScanResult scan(Path folder, ScanListener listener) throws IOException;

    /** What this machine has (servers, data directories, Podman, whether we are root). */
    Target discover() throws IOException;

    /** A request to fill in with the window's fields; the settings of this start fill in the rest. */
    RequestBuilder request();

    /**
     * Plans the request with the scan already made (no second scan). {@code strategies} holds the
     * user's choice per finding path; findings not in it get {@code request.strategy()}. {@code secrets}:
     * the passwords typed into the window (by the engine's variable name), memory only.
     */
    Plan plan(RecoveryRequest request, ScanResult scan, Target target, Map<String, Strategy> strategies,
              Map<String, String> secrets) throws IOException;

    /** Runs the plan. {@code secrets} (e.g. PGPASSWORD) only live in memory for this run. */
    RunResult run(Plan plan, Map<String, String> secrets, ProgressListener listener) throws IOException;

    /** Continues an interrupted run from its journal. */
    RunResult resume(String runId, Map<String, String> secrets, ProgressListener listener) throws IOException;

    /** Asks the current run to stop (it undoes the database in progress, then returns). Any thread. */
    void cancel();

    /** Asks the current run to stop, leaving what {@code mode} says. Any thread. */
    default void cancel(io.dbrescue.run.Runner.CancelMode mode) {
        cancel();
    }

    /** While the user is asked whether to cancel: the run does not start another step or finish a database. */
    default void hold() {
    }

    /** The user chose to go on: ends a {@link #hold}. */
    default void proceed() {
    }

    /** Where the runs are recorded (the History page). */
    History history();

    /** The settings file of this start (the Settings page edits it). */
    Path settingsFile();

    /** Runs whose journal says they did not finish, newest first. */
    List<Interrupted> interruptedRuns();

    /** A run that did not finish: what it was doing and how far it got. */
    record Interrupted(String runId, Plan plan, String startedAt, int stepsDone) {
        public String describe() {
            return "Run " + runId + " (started " + startedAt + ") on " + plan.request().backupRoot()
                    + " stopped after " + stepsDone + " of " + plan.steps().size() + " steps.";
        }
    }
}
