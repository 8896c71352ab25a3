package io.dbrescue.plan;

import io.dbrescue.scan.Finding;
import io.dbrescue.scan.ScanResult;
import io.dbrescue.machine.Target;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Turns a request into a {@link Plan}: finds the selected findings in the scan, lets each engine's
 * planner decide and add its checks and steps. Changes nothing anywhere.
 */
public final class Planner {
    private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);
    private final List<EnginePlanner> planners;
    private final List<io.dbrescue.machine.ServerDiscovery> discoveries;

    public Planner(List<EnginePlanner> planners) {
        this(planners, List.of());
    }

    /** A planner that applies the user's options to a target made by hand with these engines' discoveries. */
    public Planner(List<EnginePlanner> planners, List<io.dbrescue.machine.ServerDiscovery> discoveries) {
        this.planners = planners;
        this.discoveries = List.copyOf(discoveries);
    }

    /** Thrown when a selection names no finding of the scan (bad input: exit 2). */
    public static final class UnknownSelection extends IllegalArgumentException {
        public UnknownSelection(String message) {
            super(message);
        }
    }

    public Plan plan(RecoveryRequest request, ScanResult scan, Target target) {
        return plan(request, scan, target, java.util.Map.of());
    }

    /**
     * As {@link #plan(RecoveryRequest, ScanResult, Target)}, with a strategy chosen per finding (by its
     * path; the window's Strategy step); findings not in the map take the request's strategy.
     */
    public Plan plan(RecoveryRequest whole, ScanResult scan, Target given, java.util.Map<String, Strategy> chosen) {
        Target base = given.engines().isEmpty() ? given.withEngines(discoveries) : given;
        java.util.Map<io.dbrescue.scan.Engine, Target> targets = new java.util.EnumMap<>(io.dbrescue.scan.Engine.class);
        List<Decision> decisions = new ArrayList<>();
        List<Check> checks = new ArrayList<>();
        List<Step> steps = new ArrayList<>();
        int number = 0;
        String runId = newRunId();
        for (Finding finding : select(scan, whole.selections())) {
            number++;
            EnginePlanner planner = planners.stream().filter(p -> p.handles(finding)).findFirst().orElse(null);
            if (planner == null) {
                Decision d = new Decision(finding.getPath(), finding.getEngine(), finding.getKind().id(),
                        finding.getVersion(), null, "dbrescue cannot restore a " + finding.getEngine().displayName()
                        + " " + finding.getKind().id() + " yet.", List.of());
                decisions.add(d);
                checks.add(Check.fail(finding.getPath(), "supported", d.reason(),
                        "Restore it by hand, or leave it out of the selection."));
                continue;
            }
            // a finding sees only what the user said about its own engine's server
            RecoveryRequest request = whole.forEngine(finding.getEngine());
            Target target = request == whole ? base
                    : targets.computeIfAbsent(finding.getEngine(), e -> base.withOptions(request.target()));
            Strategy requested = chosen.getOrDefault(finding.getPath(), request.strategy());
            Decision d = planner.decide(finding, requested, target, request);
            Strategy preferred = request.preferred();
            if (requested == Strategy.AUTO && preferred != null && !d.refused() && d.strategy() != preferred
                    && d.alternatives().stream().anyMatch(a -> a.strategy() == preferred && a.possible())) {
                Decision p = planner.decide(finding, preferred, target, request);
                if (!p.refused()) {
                    d = new Decision(p.path(), p.engine(), p.kind(), p.version(), p.strategy(),
                            p.reason() + " (preferred in the settings: preferred_migration_strategy)", p.alternatives());
                }
            }
            decisions.add(d);
            PlanContext ctx = new PlanContext(request, finding.getPath(), number, runId, target.secrets());
            if (d.refused()) {
                ctx.fail("strategy", d.reason(), alternativesHint(d));
            } else {
                planner.plan(finding, d, target, ctx);
                BackupGuard.check(ctx);
            }
            checks.addAll(ctx.checks());
            steps.addAll(ctx.steps());
        }
        BackupGuard.checkStateFolder(whole.backupRoot(), io.dbrescue.run.Journal.runsDir()).ifPresent(checks::add);
        return new Plan(runId, Instant.now().toString(), whole, decisions, checks, steps);
    }

    /**
     * The findings these selections name, in order, each once: {@code x}, {@code ./x} and {@code x/} are
     * one selection. Throws {@link UnknownSelection} (bad input) for a selection that names none.
     */
    public static List<Finding> select(ScanResult scan, List<String> selections) {
        java.util.Map<String, Finding> chosen = new java.util.LinkedHashMap<>();
        for (String selection : selections) {
            Finding f = find(scan, selection);
            chosen.putIfAbsent(f.getPath(), f);
        }
        return List.copyOf(chosen.values());
    }

    /**
     * The finding at this path of the scan; throws {@link UnknownSelection} (bad input) when there is none.
     * The path as the scan wrote it wins (a backslash is an ordinary character in a Linux file name);
     * only then are {@code ./}, a trailing '/' and Windows-style '\' separators tidied.
     */
    public static Finding find(ScanResult scan, String selection) {
        for (String wanted : List.of(selection, tidy(selection), normalise(selection))) {
            for (Finding f : scan.findings()) {
                if (f.getPath().equals(wanted)) {
                    return f;
                }
            }
        }
        List<String> known = scan.findings().stream().map(Finding::getPath).toList();
        throw new UnknownSelection("Nothing to restore at '" + selection + "' in " + scan.root() + ". "
                + (known.isEmpty() ? "The scan found no databases there."
                : "Use one of the paths the scan reports: " + String.join(", ", known)));
    }

    private static String normalise(String selection) {
        return tidy(selection.replace('\\', '/'));
    }

    /** Without leading "./" and trailing '/'. */
    private static String tidy(String selection) {
        String s = selection;
        while (s.startsWith("./")) {
            s = s.substring(2);
        }
        while (s.length() > 1 && s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s.isEmpty() ? "." : s;
    }

    private static String alternativesHint(Decision d) {
        List<String> possible = d.alternatives().stream().filter(Decision.Alternative::possible)
                .map(a -> "--strategy " + a.strategy().id()).toList();
        return possible.isEmpty() ? "See the reason above." : "Try " + String.join(" or ", possible) + ".";
    }

    static String newRunId() {
        return RUN_ID.format(Instant.now()) + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
    }
}
