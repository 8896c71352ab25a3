package io.dbrescue.mysql;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbrescue.plan.RecoveryRequest;
import io.dbrescue.plan.Step;
import io.dbrescue.plan.StepParams;
import io.dbrescue.run.StepContext;
import io.dbrescue.run.StepExecutor;
import io.dbrescue.run.StepFailure;
import io.dbrescue.run.TypedStep;
import io.dbrescue.settings.PrivateFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The steps that move the old server's accounts (users, roles, their passwords and grants):
 * <ul>
 * <li>{@code mysql-accounts-read} (old* connection to the old server started with --skip-grant-tables, the
 * target connection, onConflict, file, record): reads the old accounts in one session after FLUSH PRIVILEGES,
 * compares them with the target's — an account the target has with the same password and grants is already
 * there; one it has otherwise follows --on-conflict (ask: the run stops here, before the target is changed;
 * skip: the target's stays; replace: the target's is saved to a private file in the run folder, then replaced)
 * — and writes the statements (file, 0600, password hashes) and what it decided (record, names only);</li>
 * <li>{@code mysql-accounts-load} (target connection, file, record, databases): runs the statements on the
 * target after the databases are loaded (table grants need the tables), checks that every moved account has
 * the old grants, and that every DEFINER of the moved views, routines, triggers and events exists; undo drops
 * the accounts it made and puts replaced ones back from the saved file.</li>
 * </ul>
 */
final class MySqlAccountSteps {
    private static final Logger LOG = LoggerFactory.getLogger(MySqlAccountSteps.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private MySqlAccountSteps() {
    }

    static Map<String, StepExecutor> all() {
        return Map.of("mysql-accounts-read", new Read(), "mysql-accounts-load", new Load());
    }

    /** What the read step decided (no secrets: names only). */
    record Record(List<String> moved, List<String> created, List<String> replaced, List<String> kept,
                  List<String> alreadyThere, List<String> leftAlone, String safetyFile) {
    }

    static Record record(Path file) throws IOException {
        return JSON.readValue(file.toFile(), Record.class);
    }

    /**
     * {@code mysql-accounts-read}: the old server's accounts (old login) compared with the target's (login), what to
     * do with those that differ (onConflict: a {@link RecoveryRequest.Conflict}, ask when absent), the statements
     * written to file and what was decided to record (a name in the run's folder).
     */
    record MySqlAccountsRead(MySqlSteps.Login login, MySqlSteps.OldLogin old, Path file, String record,
                             String onConflict) implements StepParams {
        @Override
        public String kind() {
            return "mysql-accounts-read";
        }

        RecoveryRequest.Conflict conflict() {
            return RecoveryRequest.Conflict.valueOf(onConflict == null ? "ASK" : onConflict);
        }
    }

    /**
     * {@code mysql-accounts-load}: the statements of file run on the login's server as record (in the run's folder)
     * says; the DEFINERs of the databases (one a line) checked.
     */
    record MySqlAccountsLoad(MySqlSteps.Login login, Path file, String record, String databases) implements StepParams {
        @Override
        public String kind() {
            return "mysql-accounts-load";
        }
    }

    static final class Read implements TypedStep<MySqlAccountsRead> {
        @Override
        public void run(MySqlAccountsRead p, Step step, StepContext ctx) throws Exception {
            MySqlClient old = p.old().client(ctx.secrets());
            MySqlClient.ServerVersion oldVersion = old.serverVersion();
            List<String[]> movable = new ArrayList<>();
            List<String> leftAlone = new ArrayList<>();
            for (String[] n : MySqlAccounts.names(old, oldVersion)) {
                if (MySqlAccounts.system(n[0], n[1])) {
                    leftAlone.add(n[0] + "@" + n[1]);
                } else {
                    movable.add(n);
                }
            }
            List<MySqlAccounts.Account> accounts = MySqlAccounts.read(old, oldVersion, movable, true);
            MySqlClient target = p.login().client(ctx.secrets());
            MySqlClient.ServerVersion targetVersion = target.serverVersion();
            Set<String> there = new LinkedHashSet<>();
            List<String[]> clashing = new ArrayList<>();
            for (String[] n : MySqlAccounts.names(target, targetVersion)) {
                there.add("Y".equalsIgnoreCase(n[2]) ? n[0] + " (role)" : n[0] + "@" + n[1]);
            }
            for (MySqlAccounts.Account a : accounts) {
                if (there.contains(a.display())) {
                    clashing.add(new String[] {a.user(), a.host(), a.role() ? "Y" : "N"});
                }
            }
            Map<String, MySqlAccounts.Account> theirs = MySqlAccounts.byName(
                    MySqlAccounts.read(target, targetVersion, clashing, false));
            decide(p, step, ctx, accounts, theirs, leftAlone);
        }

        private void decide(MySqlAccountsRead p, Step step, StepContext ctx, List<MySqlAccounts.Account> accounts,
                            Map<String, MySqlAccounts.Account> theirs, List<String> leftAlone) throws Exception {
            RecoveryRequest.Conflict onConflict = p.conflict();
            List<MySqlAccounts.Account> move = new ArrayList<>();
            List<String> same = new ArrayList<>();
            List<String> differ = new ArrayList<>();
            for (MySqlAccounts.Account a : accounts) {
                MySqlAccounts.Account t = theirs.get(a.display());
                if (t == null) {
                    move.add(a);
                } else if (a.sameAs(t)) {
                    same.add(a.display());
                } else {
                    differ.add(a.display());
                }
            }
            if (!differ.isEmpty() && onConflict != RecoveryRequest.Conflict.SKIP
                    && onConflict != RecoveryRequest.Conflict.REPLACE) {
                throw new StepFailure("conflict", "The target already has the account(s) " + String.join(", ", differ)
                        + " with another password or other grants than in the old server. Nothing in the target was "
                        + "changed.", "Choose with --on-conflict: skip (keep the target's accounts as they are) or "
                        + "replace (the target's are saved to a file in the run folder, then replaced by the old ones).");
            }
            Set<String> replace = new LinkedHashSet<>();
            String safety = null;
            if (onConflict == RecoveryRequest.Conflict.REPLACE && !differ.isEmpty()) {
                List<MySqlAccounts.Account> saved = differ.stream().map(theirs::get).toList();
                safety = "safety-accounts-" + ctx.plan().runId() + "-" + step.id() + ".sql";
                write(ctx.runDir().resolve(safety), MySqlAccounts.script(saved, Set.copyOf(differ)));
                replace.addAll(differ);
                accounts.stream().filter(a -> replace.contains(a.display())).forEach(move::add);
                ctx.report("safetyAccounts", ctx.runDir().resolve(safety).toString());
            }
            Path file = p.file();
            Files.createDirectories(file.getParent());
            write(file, MySqlAccounts.script(move, replace));
            JSON.writeValue(PrivateFiles.newOutputStream(oldFile(file)), move);
            List<String> created = move.stream().filter(a -> !replace.contains(a.display()))
                    .map(MySqlAccounts.Account::sqlName).toList();
            List<String> kept = onConflict == RecoveryRequest.Conflict.SKIP ? differ : List.of();
            Record r = new Record(move.stream().map(MySqlAccounts.Account::display).toList(), created,
                    List.copyOf(replace), kept, same, leftAlone, safety);
            JSON.writeValue(ctx.runDir().resolve(p.record()).toFile(), r);
            ctx.report("accountsToMove", r.moved());
            ctx.report("accountsLeftAlone", leftAlone);
            if (!kept.isEmpty()) {
                ctx.report("accountsKept", kept);
            }
            ctx.log("Accounts of the old server: " + r.moved().size() + " to move (" + String.join(", ", r.moved())
                    + "), " + same.size() + " already in the target, " + kept.size() + " kept as the target has them, "
                    + leftAlone.size() + " system accounts left alone.");
        }

        @Override
        public void undo(MySqlAccountsRead p, Step step, StepContext ctx) throws Exception {
            Files.deleteIfExists(p.file());
            Files.deleteIfExists(oldFile(p.file()));
        }
    }

    static final class Load implements TypedStep<MySqlAccountsLoad> {
        @Override
        public void run(MySqlAccountsLoad p, Step step, StepContext ctx) throws Exception {
            Record r = record(ctx.runDir().resolve(p.record()));
            MySqlClient target = p.login().client(ctx.secrets());
            if (!r.moved().isEmpty()) {
                Path file = p.file();
                MySqlClient.Output o = MySqlClient.Output.run(scriptArgv(target), 600,
                        Files.readString(file, StandardCharsets.UTF_8), ctx.secrets());
                List<String> errors = o.stderr().lines().filter(l -> l.startsWith("ERROR")).toList();
                if (o.exit() != 0 && (errors.isEmpty() || !errors.stream().allMatch(Load::missingObject))) {
                    throw new StepFailure("accounts", "Making the old accounts in the target failed: "
                            + (errors.isEmpty() ? o.stderr().strip() : errors.get(0)), "Read the run log; the accounts "
                            + "made so far were dropped again and the target's replaced accounts put back.");
                }
                errors.forEach(e -> ctx.log("A grant was not given (its table or routine was not moved): " + e));
                compareGrants(target, file, ctx);
            }
            checkDefiners(target, MySqlMoveSteps.lines(p.databases()), ctx);
            ctx.report("accountsMoved", r.moved());
        }

        /** ERROR 1146 (no such table), 1147 (no such grant on it), 1305 (no such routine): grants on what stayed. */
        private static boolean missingObject(String error) {
            return error.startsWith("ERROR 1146") || error.startsWith("ERROR 1305") || error.startsWith("ERROR 1147");
        }

        @Override
        public void undo(MySqlAccountsLoad p, Step step, StepContext ctx) throws Exception {
            Path recordFile = ctx.runDir().resolve(p.record());
            if (!Files.exists(recordFile)) {
                return;
            }
            Record r = record(recordFile);
            MySqlClient target = p.login().client(ctx.secrets());
            StringBuilder sql = new StringBuilder();
            for (String name : r.created()) {
                sql.append(name.contains("@") ? "DROP USER IF EXISTS " : "DROP ROLE IF EXISTS ").append(name).append(";\n");
            }
            if (r.safetyFile() != null && Files.exists(ctx.runDir().resolve(r.safetyFile()))) {
                sql.append(Files.readString(ctx.runDir().resolve(r.safetyFile()), StandardCharsets.UTF_8));
            }
            if (sql.length() > 0) {
                target.script(sql.toString());
            }
        }
    }

    /** Every moved account has, in the target, the grants it had in the old server. */
    private static void compareGrants(MySqlClient target, Path file, StepContext ctx) throws Exception {
        List<MySqlAccounts.Account> old = JSON.readValue(oldFile(file).toFile(),
                new TypeReference<List<MySqlAccounts.Account>>() { });
        List<String[]> names = old.stream().map(a -> new String[] {a.user(), a.host(), a.role() ? "Y" : "N"}).toList();
        Map<String, MySqlAccounts.Account> now = MySqlAccounts.byName(
                MySqlAccounts.read(target, target.serverVersion(), names, false));
        List<String> differ = new ArrayList<>();
        for (MySqlAccounts.Account a : old) {
            MySqlAccounts.Account b = now.get(a.display());
            Set<String> before = new LinkedHashSet<>(a.grants().stream().map(MySqlAccounts::normal).toList());
            if (b == null || !new LinkedHashSet<>(b.grants().stream().map(MySqlAccounts::normal).toList())
                    .containsAll(before)) {
                differ.add(a.display());
            }
        }
        if (!differ.isEmpty()) {
            throw new StepFailure("verify", "After the move the target's account(s) " + String.join(", ", differ)
                    + " do not have the grants they had in the old server.", "Read the run log; the accounts were "
                    + "dropped again.");
        }
        ctx.log("The " + old.size() + " moved account(s) have their old grants in the target.");
    }

    /** The DEFINERs of the moved views, routines, triggers and events that are no account of the target. */
    private static void checkDefiners(MySqlClient target, List<String> databases, StepContext ctx) throws Exception {
        if (databases.isEmpty()) {
            return;
        }
        String in = String.join(", ", databases.stream().map(MySqlClient::literal).toList());
        List<String> missing = target.query("SELECT DISTINCT d FROM ("
                + "SELECT DEFINER d FROM information_schema.VIEWS WHERE TABLE_SCHEMA IN (" + in + ") UNION "
                + "SELECT DEFINER FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA IN (" + in + ") UNION "
                + "SELECT DEFINER FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA IN (" + in + ") UNION "
                + "SELECT DEFINER FROM information_schema.EVENTS WHERE EVENT_SCHEMA IN (" + in + ")) x "
                + "WHERE d NOT IN (SELECT CONCAT(User, '@', Host) FROM mysql.user) ORDER BY 1")
                .stream().map(r -> r[0]).toList();
        if (!missing.isEmpty()) {
            ctx.report("definersMissing", missing);
            ctx.log("Views, routines, triggers or events name a DEFINER that is no account of the target (they fail "
                    + "until it exists): " + String.join(", ", missing));
            LOG.info("definers without an account: {}", missing);
        }
    }

    private static List<String> scriptArgv(MySqlClient c) throws StepFailure {
        List<String> argv = c.clientArgv();
        argv.addAll(List.of("--batch", "--force"));
        return argv;
    }

    private static Path oldFile(Path file) {
        return file.resolveSibling(file.getFileName() + ".json");
    }

    private static void write(Path file, String text) throws IOException {
        try (OutputStream out = PrivateFiles.newOutputStream(file)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }
}
