package io.dbrescue.cli;

import io.dbrescue.testing.Jar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The built jar: --debug changes stderr, the log file lands under $XDG_STATE_HOME, config validate's exit codes. */
class LoggingIT {
    @TempDir
    Path home;

    record Result(int exit, String out, String err) {
    }

    private Result jar(String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Jar.path().toString()));
        argv.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().put("XDG_CONFIG_HOME", home.resolve("config").toString());
        pb.environment().put("XDG_STATE_HOME", home.resolve("state").toString());
        Path out = home.resolve("out.txt");
        Path err = home.resolve("err.txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        p.getOutputStream().close();
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void debugChangesWhatIsPrintedAndTheLogFileIsInTheStateFolder() throws Exception {
        Path backup = Files.createDirectory(home.resolve("backup"));
        Result plain = jar("scan", backup.toString(), "--json");
        Result debug = jar("--debug", "scan", backup.toString(), "--json");
        assertThat(plain.exit).isZero();
        assertThat(debug.exit).isZero();
        assertThat(plain.err).isEmpty();
        assertThat(debug.err).contains(" DEBUG ", "settings from " + home.resolve("config/dbrescue/recovery.conf"));
        assertThat(home.resolve("state/dbrescue/logs/dbrescue.log")).content().contains(" DEBUG ");
    }

    @Test
    void configValidateExitCodes() throws Exception {
        Path bad = home.resolve("bad.conf");
        Files.writeString(bad, "[recovery]\nrequire_confirmation = sometimes\n");
        Result r = jar("config", "validate", bad.toString());
        assertThat(r.exit).isEqualTo(2);
        assertThat(r.out).isEqualTo(bad + ":2: require_confirmation: 'sometimes' is not allowed; expected true or "
                + "false (yes/no, on/off, 1/0 also work).\n");
        assertThat(jar("config", "validate").exit).isZero();
    }
}
