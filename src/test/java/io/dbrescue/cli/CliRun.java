package io.dbrescue.cli;


import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Runs {@link Main#run} in this JVM with the XDG folders pointed at a temporary folder (through the
 * {@code dbrescue.env.*} properties that {@code Environment} reads), stdin from a string, and
 * stdout / stderr captured.
 */
public final class CliRun {
    public final int exit;
    public final String out;
    public final String err;

    private CliRun(int exit, String out, String err) {
        this.exit = exit;
        this.out = out;
        this.err = err;
    }

    public static CliRun withInput(Path home, String stdin, String... args) {
        return withInput(home, stdin, java.util.Map.of(), args);
    }

    /** As {@link #run(Path, String...)}, with passwords as the environment would give them (PGPASSWORD=…). */
    public static CliRun run(Path home, java.util.Map<String, String> passwords, String... args) {
        return withInput(home, "", passwords, args);
    }

    private static CliRun withInput(Path home, String stdin, java.util.Map<String, String> passwords, String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        InputStream oldIn = System.in;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setProperty("dbrescue.env.XDG_CONFIG_HOME", home.resolve("config").toString());
        System.setProperty("dbrescue.env.XDG_STATE_HOME", home.resolve("state").toString());
        // the runs go under home/state too, whatever state folder an earlier test left set
        String stateDir = System.clearProperty("dbrescue.state.dir");
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            int exit = Main.run(io.dbrescue.run.Secrets.environment().with(passwords), args);
            return new CliRun(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
            System.setIn(oldIn);
            System.clearProperty("dbrescue.env.XDG_CONFIG_HOME");
            System.clearProperty("dbrescue.env.XDG_STATE_HOME");
            if (stateDir != null) {
                System.setProperty("dbrescue.state.dir", stateDir);
            }
        }
    }

    public static CliRun run(Path home, String... args) {
        return withInput(home, "", args);
    }

    @Override
    public String toString() {
        return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
