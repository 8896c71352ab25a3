package io.dbrescue.plan;

import io.dbrescue.run.Journal;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a plan replaces, read from its steps — so every engine's plan, the command line's dry run and the window's
 * pre-flight say the same without each planner listing it twice. A step replaces something when its record says
 * so ({@link StepParams.Replaces}): a {@code move-aside} (the thing and its safety copy), a {@code remove} that
 * cannot be undone (safety copies off), a safety dump before a database is dropped ({@code pg-drop-db},
 * {@code mysql-safety-dump}, MongoDB's dump before {@code --drop}) and a {@code pg-config} that keeps the target's
 * configuration files beside the carried ones.
 */
public final class Replacements {
    /** What the undo of a step that deletes without a safety copy says. */
    public static final String NO_SAFETY_UNDO = "no safety copy";

    /**
     * What a replacing step needs to know besides its own parameters.
     *
     * @param findingKind the kind of the finding the step restores ("data-directory", "dump"...), or null
     * @param runFolder   the run's folder (where safety dumps go)
     */
    public record Where(String findingKind, Path runFolder) {
        /** What is at path, in words: the data directory of a data-directory finding, else a folder or a file. */
        public String thing(Path path) {
            if ("data-directory".equals(findingKind)) {
                return "data directory";
            }
            return Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) ? "folder" : "file";
        }

        /** host:port of a server a step logs in to (a socket's folder reads as localhost), else what it reads. */
        public static String server(Step s, String host, Integer port) {
            if (host != null && port != null) {
                return (host.startsWith("/") ? "localhost" : host) + ":" + port;
            }
            return s.reads().isEmpty() ? "the server" : s.reads();
        }
    }

    private Replacements() {
    }

    public static List<Replacement> of(Plan plan) {
        Map<String, String> kinds = plan.decisions().stream()
                .collect(Collectors.toMap(Decision::path, Decision::kind, (a, b) -> a));
        Path runFolder = Journal.runsDir().resolve(plan.runId());
        List<Replacement> out = new ArrayList<>();
        for (Step s : plan.steps()) {
            Replacement r = of(s, kinds::get, runFolder);
            if (r != null) {
                out.add(r);
            }
        }
        return out;
    }

    private static Replacement of(Step s, Function<String, String> kindOf, Path runFolder) {
        Where where = new Where(kindOf.apply(s.group()), runFolder);
        return StepKinds.as(s, StepParams.Replaces.class).map(r -> r.replacement(s, where)).orElse(null);
    }
}
