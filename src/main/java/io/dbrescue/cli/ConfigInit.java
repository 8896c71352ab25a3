package io.dbrescue.cli;

import io.dbrescue.settings.Key;
import io.dbrescue.settings.Keys;
import io.dbrescue.settings.Settings;
import io.dbrescue.settings.SettingsFile;
import io.dbrescue.settings.SettingsReadException;
import io.dbrescue.settings.Source;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code config init}: asks for each [recovery] setting (Enter keeps the value shown) and writes the
 * file. Reads answers line by line from stdin, so it works in a terminal and with piped input; at the
 * end of input the remaining keys keep their values.
 */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = "Asks for each setting (Enter keeps the value in brackets) and writes the settings file. "
                + "An existing file keeps its comments and other lines.")
final class ConfigInit implements Callable<Integer> {
    static final int ATTEMPTS = 3;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        RunContext ctx = RunContext.of(spec);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path file = ctx.configFile();
        Settings current;
        try {
            current = Settings.load(file);
        } catch (SettingsReadException e) {
            err.println("dbrescue: " + e.getMessage());
            return ConfigCommand.EXIT_INVALID;
        }
        out.println((current.fileExists() ? "Updating " : "Creating ") + file
                + ". Press Enter to keep the value in brackets.");
        Map<Key, String> answers = ask(current, out);
        try {
            SettingsFile.setAll(file, answers);
        } catch (IOException e) {
            err.println("dbrescue: could not write " + file + ": " + e.getMessage()
                    + ". Check that its folder belongs to you, or use --config FILE.");
            return ConfigCommand.EXIT_WRITE_FAILED;
        }
        out.println("Saved " + file + ". Check it any time with `dbrescue config validate`.");
        out.flush();
        return 0;
    }

    /**
     * Asks for each [recovery] setting; the answers to write: those that change a value, and every value when the
     * file is new or does not hold the key yet.
     */
    private static Map<Key, String> ask(Settings current, PrintWriter out) throws IOException {
        Prompt prompt = new Prompt(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), out);
        Map<Key, String> answers = new LinkedHashMap<>();
        for (Key key : Keys.all()) {
            if (!key.section().equals(Keys.RECOVERY)) {
                continue;
            }
            String shown = current.value(key.id()).map(Settings.Value::raw).orElse(key.defaultValue());
            String chosen = prompt.ask(key, shown);
            if (!current.fileExists() || !chosen.equals(shown)
                    || current.value(key.id()).map(v -> v.source().kind() != Source.Kind.FILE).orElse(true)) {
                answers.put(key, chosen);
            }
        }
        return answers;
    }

    /** Asks one setting at a time; once the input has ended, every further setting keeps its value unasked. */
    private static final class Prompt {
        private final BufferedReader in;
        private final PrintWriter out;
        private boolean eof;

        Prompt(BufferedReader in, PrintWriter out) {
            this.in = in;
            this.out = out;
        }

        /**
         * The value chosen for the key: a valid answer, or the shown value (Enter, end of input,
         * {@link #ATTEMPTS} wrong answers).
         */
        String ask(Key key, String shown) throws IOException {
            for (int attempt = 0; attempt < ATTEMPTS && !eof; attempt++) {
                out.print(key.id() + ": " + key.description() + "\n  (" + key.allowed() + ") [" + shown + "]: ");
                out.flush();
                String line = in.readLine();
                if (System.console() == null) {
                    out.println();   // piped input is not echoed: end the prompt's line
                }
                if (line == null) {
                    eof = true;
                    out.println("End of input: the remaining settings keep the values in brackets.");
                    return shown;
                }
                String answer = line.strip();
                if (answer.isEmpty()) {
                    return shown;
                }
                try {
                    key.parse(answer);
                    return answer;
                } catch (IllegalArgumentException e) {
                    out.println("  " + e.getMessage() + (attempt + 1 < ATTEMPTS ? " Try again." : " Keeping " + shown + "."));
                }
            }
            return shown;
        }
    }
}
