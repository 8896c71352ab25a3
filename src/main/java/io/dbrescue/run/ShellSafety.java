package io.dbrescue.run;

import io.dbrescue.plan.PlanContext;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Is a path safe to give a program that puts it into a /bin/sh command line of its own? dbrescue itself
 * never uses a shell, but some programs it needs do: initdb runs {@code "BINDIR/postgres" --boot ...}
 * through popen, pg_upgrade runs pg_ctl, pg_dump and others through system() with the data folders, the
 * program folders and its working folder in the strings. They put each path inside double quotes, which
 * keep spaces and single quotes harmless but not {@code $ ` " \} or a line break: {@code $(...)} and
 * backticks would run a command, a quote would end the string. Such a path is refused in the pre-flight,
 * before anything runs, with the characters named and a way around it.
 */
public final class ShellSafety {
    private ShellSafety() {
    }

    /** The characters of the path that a double-quoted sh string does not neutralize, in words; empty when none. */
    public static List<String> unsafeCharacters(String path) {
        List<String> found = new ArrayList<>();
        add(found, path, '$', "$");
        add(found, path, '`', "`");
        add(found, path, '"', "\"");
        add(found, path, '\\', "\\");
        add(found, path, '\n', "a line break");
        add(found, path, '\r', "a carriage return");
        return found;
    }

    private static void add(List<String> found, String path, char c, String name) {
        if (path.indexOf(c) >= 0) {
            found.add(name);
        }
    }

    public static boolean safe(Path path) {
        return path == null || unsafeCharacters(path.toString()).isEmpty();
    }

    /** The problem in words ("... contains $ and `: PROGRAM passes it to /bin/sh ..."), or null when the path is safe. */
    public static String problem(String what, Path path, String program) {
        List<String> bad = path == null ? List.of() : unsafeCharacters(path.toString());
        if (bad.isEmpty()) {
            return null;
        }
        return what + " " + printable(path) + " contains " + String.join(" and ", bad) + ": " + program
                + " passes it to /bin/sh, where " + (bad.size() == 1 ? "this character" : "these characters")
                + " could run a command, so dbrescue will not hand it over.";
    }

    /**
     * A FAIL check named {@code check} when the path has such characters; the fix says to choose another place
     * ("a folder without $ ` \" \\ or line breaks") and then {@code orElse}. Returns whether the path is safe.
     */
    public static boolean check(PlanContext ctx, String check, String what, Path path, String program, String orElse) {
        String problem = problem(what, path, program);
        if (problem == null) {
            return true;
        }
        ctx.fail(check, problem, "Choose a folder without $ ` \" \\ or line breaks" + (orElse == null ? "." : ", " + orElse)
                + " Nothing was changed.");
        return false;
    }

    /** The path on one line: a line break shown as \n, so the message stays readable. */
    static String printable(Path path) {
        return path.toString().replace("\n", "\\n").replace("\r", "\\r");
    }
}
