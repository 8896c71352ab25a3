package io.dbrescue.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * polkit for a test without systemd: the D-Bus system bus ({@code dbus-daemon --system --fork}) and polkitd started
 * when they are not running, dbrescue's policy installed for a launcher of the built jar, and a rule that lets
 * {@link TestUser} use its action without a password. {@link #close} takes away what it added and stops the polkitd
 * and the system bus it started.
 */
public final class Polkit implements AutoCloseable {
    public static final String ACTION = "io.dbrescue.DbRescue.privileged-run";
    private static final Path BUS = Path.of("/run/dbus/system_bus_socket");
    private static final Path POLKITD = Path.of("/usr/lib/polkit-1/polkitd");
    private static final Path ACTIONS = Path.of("/usr/share/polkit-1/actions/io.dbrescue.DbRescue.policy");
    private static final Path RULE = Path.of("/etc/polkit-1/rules.d/49-dbrescue-test.rules");
    private final Path launcherDir;
    private final Path launcher;
    private Path movedAside;
    private Process polkitd;
    private long busPid;

    private Polkit(Path launcherDir) {
        this.launcherDir = launcherDir;
        this.launcher = launcherDir.resolve("dbrescue");
    }

    /** Sets it all up; fails (never skips) with the package to install when pkexec or polkitd is missing. */
    public static Polkit start(Path policy, Path jar) throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of("/usr/bin/pkexec")) || !Files.isExecutable(POLKITD)) {
            throw new AssertionError("pkexec and polkitd are needed: apt-get install -y dbus polkitd pkexec");
        }
        TestUser.ensure();
        Polkit p = new Polkit(Files.createTempDirectory(Path.of("/var/tmp"), "dbrescue-launcher-"));
        Files.setPosixFilePermissions(p.launcherDir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        p.install(policy, jar);
        p.startDaemons();
        return p;
    }

    /** The program pkexec starts (the policy names it, as the package's names /opt/dbrescue/bin/dbrescue). */
    public Path launcher() {
        return launcher;
    }

    private void install(Path policy, Path jar) throws IOException {
        Path copy = launcherDir.resolve("dbrescue.jar");
        Files.copy(jar, copy, StandardCopyOption.REPLACE_EXISTING);
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Files.writeString(launcher, "#!/bin/sh\nexec " + javaBin + " -jar " + copy + " \"$@\"\n");
        Files.setPosixFilePermissions(launcher, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        if (Files.exists(ACTIONS, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            movedAside = ACTIONS.resolveSibling(ACTIONS.getFileName() + ".before-test");
            Files.move(ACTIONS, movedAside, StandardCopyOption.REPLACE_EXISTING);
        }
        String shipped = Files.readString(policy);
        if (!shipped.contains("/opt/dbrescue/bin/dbrescue")) {
            throw new AssertionError("the shipped policy does not name /opt/dbrescue/bin/dbrescue");
        }
        Files.writeString(ACTIONS, shipped.replace("/opt/dbrescue/bin/dbrescue", launcher.toString()));
        writeRule();
    }

    private static void writeRule() throws IOException {
        Files.createDirectories(RULE.getParent());
        Files.writeString(RULE, "polkit.addRule(function(action, subject) {\n"
                + "    if (action.id == \"" + ACTION + "\" && subject.user == \"" + TestUser.NAME + "\") {\n"
                + "        return polkit.Result.YES;\n    }\n});\n");
    }

    /**
     * With the rule, the test user may use the action without a password; without it polkit wants the admin's
     * password, and with no agent running (no desktop here) pkexec gives up: the "no polkit agent" case.
     */
    public void allowTestUser(boolean allow) throws IOException, InterruptedException {
        if (allow) {
            writeRule();
        } else {
            Files.deleteIfExists(RULE);
        }
        Thread.sleep(2000); // polkitd reloads its rules through a file monitor
    }

    private void startDaemons() throws IOException, InterruptedException {
        // polkitd needs the system bus; without systemd nothing starts either
        if (!connectable(BUS)) {
            Files.createDirectories(BUS.getParent());
            removeStalePidFile();
            busPid = Long.parseLong(Cmd.run(List.of("dbus-daemon", "--system", "--fork", "--print-pid")).trim());
        }
        boolean running = Cmd.exitCode(List.of("pgrep", "-x", "polkitd")) == 0;
        if (!running) {
            polkitd = new ProcessBuilder(POLKITD.toString(), "--no-debug")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        }
        Thread.sleep(2000); // polkitd (re)reads actions and rules through file monitors
    }

    /** A bus that was killed leaves its pid file, and dbus-daemon will not start while it is there. */
    private static void removeStalePidFile() throws IOException {
        Path pid = BUS.resolveSibling("pid");
        if (Files.isRegularFile(pid)) {
            String text = Files.readString(pid).trim();
            boolean alive = text.matches("\\d+") && ProcessHandle.of(Long.parseLong(text)).map(ProcessHandle::isAlive)
                    .orElse(false);
            if (!alive) {
                Files.delete(pid);
            }
        }
    }

    private static boolean connectable(Path socket) {
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(RULE);
            Files.deleteIfExists(ACTIONS);
            if (movedAside != null) {
                Files.move(movedAside, ACTIONS);
            }
            if (polkitd != null) {
                polkitd.destroy();
            }
            if (busPid > 0) {
                ProcessHandle.of(busPid).ifPresent(ProcessHandle::destroy); // the bus this fixture started
            }
            Cmd.run(List.of("rm", "-rf", "--one-file-system", launcherDir.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
