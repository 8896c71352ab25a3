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
 * pre-flight say the same without each planner listing it twice. A step replaces something when it is one of:
 * {@code move-aside} (the thing and its safety copy), a {@code remove} that cannot be undone (safety copies
 * off), a safety dump before a database is dropped ({@code pg-drop-db}, {@code mysql-safety-dump}, MongoDB's dump before {@code --drop}) and a
 * {@code pg-config} that keeps the target's configuration files beside the carried ones.
 */
public final class Replacements {
    private static final String NO_SAFETY_UNDO = "no safety copy";

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
        return switch (s.kind()) {
            case "move-aside" -> new Replacement(s.group(), thing(s, kindOf), s.param("path"), s.param("safety"));
            case "remove" -> s.undo().contains(NO_SAFETY_UNDO)
                    ? new Replacement(s.group(), thing(s, kindOf), s.param("path"), null) : null;
            case "pg-drop-db" -> new Replacement(s.group(), "database", s.param("database") + " on " + server(s),
                    runFolder.resolve(s.param("database").replaceAll("[^A-Za-z0-9._-]", "_") + "-before-replace.dump")
                            .toString());
            case "mysql-safety-dump" -> new Replacement(s.group(), "database", s.param("database") + " on " + server(s),
                    runFolder.resolve(s.param("file")).toString());
            case "pg-config" -> s.writes().contains("before-dbrescue-")
                    ? new Replacement(s.group(), "configuration files", s.writes().replaceAll(" \\(the existing.*", ""),
                    "beside them, named NAME.before-dbrescue-" + s.param("runId", "RUN")) : null;
            case "mongo-tool" -> s.title().startsWith("Safety dump")
                    ? new Replacement(s.group(), "collections of the same name", "on " + s.reads(), s.writes()) : null;
            default -> null;
        };
    }

    private static String thing(Step s, Function<String, String> kindOf) {
        if ("data-directory".equals(kindOf.apply(s.group()))) {
            return "data directory";
        }
        Path p = Path.of(s.param("path"));
        return Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "folder" : "file";
    }

    /** host:port of a step that logs in to a server (its parameters), else what it reads. */
    private static String server(Step s) {
        String host = s.params().get("host");
        String port = s.params().get("port");
        if (host != null && port != null) {
            return (host.startsWith("/") ? "localhost" : host) + ":" + port;
        }
        return s.reads().isEmpty() ? "the server" : s.reads();
    }
}
