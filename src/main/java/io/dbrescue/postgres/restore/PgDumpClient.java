package io.dbrescue.postgres.restore;

import io.dbrescue.container.ContainerSteps;
import io.dbrescue.container.Podman;
import io.dbrescue.plan.PlanContext;
import io.dbrescue.scan.Engine;
import io.dbrescue.scan.Finding;
import io.dbrescue.machine.Target;
import io.dbrescue.machine.TargetOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Which pg_restore (or psql) loads a dump: one here that is new enough for the dump's archive format, else —
 * for an archive a pg_restore here cannot read (pg_dump 17 and 18 write format 1.16, which Debian 12's
 * pg_restore 15 refuses) — the one in the image of the target server's version ({@code images.postgresql}),
 * run with the host's network, the dump mounted read-only, and the target's socket folder when the login goes
 * through it. A folder given with --target-bin is the only folder looked in: when it lacks the program or holds
 * one too old, the pre-flight says so (it is never silently replaced by another folder).
 */
final class PgDumpClient {
    private PgDumpClient() {
    }

    /** The client, with its check recorded; null (and a FAIL) when there is none that can do it. */
    static PgContainerPlan.Client choose(Finding f, String program, PgRestoreTarget t, int serverMajor, Target target,
                                         TargetOptions o, PlanContext ctx, Path dump) {
        int needed = neededMajor(f, program);
        if (o.binDir() != null) {
            return given(o.binDir(), program, needed, f, ctx);
        }
        Path best = null;
        String bestVersion = null;
        for (Path dir : PgTargetServers.clientDirs(target, o)) {
            Path tool = dir == null ? null : dir.resolve(program);
            String v = tool != null && Files.isExecutable(tool) ? PgRestoreTools.version(tool) : null;
            if (v != null && (bestVersion == null || PgRestoreTools.major(v) > PgRestoreTools.major(bestVersion))) {
                best = dir;
                bestVersion = v;
            }
        }
        if (best == null) { // the PATH, as before: psql may be installed without a server
            Path onPath = PgRestoreTools.find(program, List.of());
            String v = PgRestoreTools.version(onPath);
            if (v != null) {
                best = onPath.getParent();
                bestVersion = v;
            }
        }
        if (bestVersion != null && PgRestoreTools.major(bestVersion) >= needed) {
            ctx.pass("client-tools", program + " " + bestVersion + " (" + best.resolve(program) + ")"
                    + (PgRestoreTools.major(bestVersion) < serverMajor ? "; it can load into PostgreSQL " + serverMajor
                    + " (it only sends SQL)" : ""));
            return new PgContainerPlan.Client(best, null, bestVersion, ctx.runId(), (Path) null);
        }
        return fromImage(f, program, needed, serverMajor, best == null ? null : best.resolve(program), bestVersion, t,
                ctx, dump);
    }

    /** The major the dump needs of pg_restore (from its archive format); 0 for psql and old formats. */
    static int neededMajor(Finding f, String program) {
        if (!program.equals("pg_restore")) {
            return 0;
        }
        String needed = String.valueOf(f.getDetails().getOrDefault("pgRestoreNeeded", ""));
        return needed.startsWith("newer") ? 99 : Math.max(0, PgRestoreTools.major(needed));
    }

    private static PgContainerPlan.Client given(Path bin, String program, int needed, Finding f, PlanContext ctx) {
        Path tool = bin.resolve(program);
        String v = Files.isExecutable(tool) ? PgRestoreTools.version(tool) : null;
        if (v == null) {
            ctx.fail("client-tools", "The folder given with --target-bin, " + bin + ", has no " + program + "; it is "
                    + "needed to load this dump.", "Give the folder that has " + program + " (e.g. /usr/lib/postgresql/N/bin"
                    + " of postgresql-client-N), or leave out --target-bin: dbrescue then uses the " + program + " here, or "
                    + "the one in the image of the server's version when Podman is installed.");
            return null;
        }
        if (PgRestoreTools.major(v) < needed) {
            ctx.fail("client-tools", tooOld(f, v, tool) + " (the folder given with --target-bin).", "Give a folder with "
                    + program + " " + label(needed) + " or newer, or leave out --target-bin: dbrescue then uses the "
                    + program + " in the image of the server's version (Podman).");
            return null;
        }
        ctx.pass("client-tools", program + " " + v + " (" + tool + ", given with --target-bin)");
        return new PgContainerPlan.Client(bin, null, v, ctx.runId(), (Path) null);
    }

    private static PgContainerPlan.Client fromImage(Finding f, String program, int needed, int serverMajor, Path here,
                                                    String hereVersion, PgRestoreTarget t, PlanContext ctx, Path dump) {
        int major = needed == 99 ? serverMajor : Math.max(needed, serverMajor);
        boolean podman = Podman.program() != null;
        String image = ctx.request().containers().image(Engine.POSTGRESQL, Integer.toString(major), Integer.toString(major));
        String why = here == null ? program + " is not installed here" : tooOld(f, hereVersion, here);
        if (!program.equals("pg_restore") || needed == 99 || !podman) {
            ctx.fail("client-tools", why + ".", program.equals("pg_restore") ? newerClientFix(needed, major, podman, image)
                    : PgRestoreTools.installHint(program, Integer.toString(serverMajor)));
            return null;
        }
        ctx.pass("client-tools", why + ": pg_restore " + major + " of the image " + image + " loads it (run with the "
                + "host's network, the dump mounted read-only" + (t.socket() ? ", the server's socket folder mounted" : "")
                + ").");
        ContainerSteps.checkImage(ctx, image, "PostgreSQL " + major + " client tools");
        return new PgContainerPlan.Client(null, image, Integer.toString(major), ctx.runId(), (Path) null)
                .mounting(dump.toString(), true).reaching(t);
    }

    private static String tooOld(Finding f, String version, Path tool) {
        return "This dump was written by " + f.getDetails().getOrDefault("pgDumpVersion", "a newer pg_dump") + " (archive "
                + f.getDetails().get("archiveVersion") + "): it needs pg_restore " + label(neededMajor(f, "pg_restore"))
                + " or newer, and " + tool + " is " + version;
    }

    /** What works when no pg_restore here is new enough (Debian 12 has no postgresql-client-17 or 18). */
    static String newerClientFix(int needed, int major, boolean podman, String image) {
        String n = needed == 99 ? "N" : Integer.toString(Math.max(needed, major));
        return (podman ? "" : "Install Podman (Debian/Ubuntu: sudo apt install podman): dbrescue then runs pg_restore "
                + major + " from the image " + image + " (images.postgresql). Or ") + "install the newer client tools from "
                + "the PostgreSQL project's packages — Debian 12 and Ubuntu 22.04 do not carry them: add apt.postgresql.org "
                + "(https://wiki.postgresql.org/wiki/Apt) and sudo apt install postgresql-client-" + n + "; Fedora: the "
                + "PGDG repository, dnf install postgresql" + n + " — then give --target-bin /usr/lib/postgresql/" + n
                + "/bin (Fedora: /usr/pgsql-" + n + "/bin).";
    }

    private static String label(int major) {
        return major == 99 ? "newer than 18" : Integer.toString(major);
    }
}
