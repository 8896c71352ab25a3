package io.dbrescue.postgres.restore;

import io.dbrescue.container.ContainerSteps;
import io.dbrescue.plan.Containers;
import io.dbrescue.plan.PlanContext;
import io.dbrescue.scan.Engine;
import io.dbrescue.scan.Finding;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The image the old server runs in for the dump path, and what it preloads. The old server must have every
 * extension its databases use — PostgreSQL cannot read a column of PostGIS's geometry type without PostGIS's
 * library, so pg_dump would stop half way — and the settings' images.postgresql_extensions name images that
 * have them (postgis=IMAGE). The old cluster's shared_preload_libraries are kept where that image has the
 * libraries (the official images have the contrib ones, pg_stat_statements...): some extensions only work
 * preloaded. What the image has is asked of the image itself ({@link PgImageFiles}).
 */
final class PgOldImage {
    private PgOldImage() {
    }

    /** The image and the shared_preload_libraries for the old server ("" for none). */
    record Choice(String image, String preload) {
    }

    static Choice choose(Finding f, Path backupRoot, Containers containers, String oldMajor, PlanContext ctx,
                         boolean podman) {
        String image = image(f, containers, oldMajor, ctx, podman);
        if (podman) {
            ContainerSteps.checkImage(ctx, image, "PostgreSQL " + oldMajor + " server");
        }
        return new Choice(image, preload(f, backupRoot, image, oldMajor, ctx, podman));
    }

    private static String image(Finding f, Containers containers, String oldMajor, PlanContext ctx, boolean podman) {
        String standard = containers.image(Engine.POSTGRESQL, oldMajor, oldMajor);
        Set<String> used = PgContainerPlan.extensionsOf(f);
        if (used.isEmpty() || !podman) {
            return standard;
        }
        PgImageFiles.Files has = PgImageFiles.of(standard, oldMajor, ctx.runId());
        List<String> missing = has == null ? null : PgImageFiles.missing(has, used);
        if (missing != null && missing.isEmpty()) {
            ctx.pass("old-server-extensions", "The image " + standard + " has the extensions the old databases use ("
                    + String.join(", ", used) + ").");
            return standard;
        }
        for (String candidate : candidates(containers, used, oldMajor)) {
            PgImageFiles.Files c = PgImageFiles.of(candidate, oldMajor, ctx.runId());
            List<String> lack = c == null ? null : PgImageFiles.missing(c, used);
            if (lack != null && lack.isEmpty()) {
                ctx.pass("old-server-extensions", "The old databases use " + String.join(", ", used) + ": PostgreSQL "
                        + oldMajor + " runs in " + candidate + " (images.postgresql_extensions), which has them.");
                return candidate;
            }
            if (c == null) {
                ctx.warn("old-server-extensions", "The old databases use " + String.join(", ", used) + ": PostgreSQL "
                        + oldMajor + " runs in " + candidate + " (images.postgresql_extensions), which is not here to "
                        + "check.", "If it lacks one of them, the dump stops with the extension's name; nothing else is "
                        + "changed by then.");
                return candidate;
            }
        }
        if (missing == null) {
            ctx.warn("old-server-extensions", "The old databases use " + String.join(", ", used) + "; the image "
                    + standard + " is not here, so dbrescue cannot tell whether it has them.", fix(used, oldMajor, standard));
            return standard;
        }
        ctx.fail("old-server-extensions", "The old databases use " + String.join(", ", missing) + " (" + where(f, missing)
                + "), which the image " + standard + " does not have: PostgreSQL " + oldMajor + " there could not "
                + "read their data.", fix(missing, oldMajor, standard));
        return standard;
    }

    /** The entries of images.postgresql_extensions that bring any used extension, those bringing most first. */
    private static List<String> candidates(Containers containers, Set<String> used, String major) {
        List<Map.Entry<Set<String>, String>> entries = new ArrayList<>(containers.extensionImageEntries());
        entries.removeIf(e -> e.getKey().stream().noneMatch(used::contains));
        entries.sort(Comparator.comparingLong(e -> -e.getKey().stream().filter(used::contains).count()));
        return entries.stream().map(e -> e.getValue().replace("{major}", major).replace("{version}", major)).toList();
    }

    static String fix(java.util.Collection<String> missing, String major, String standard) {
        String names = String.join("+", missing);
        String example = missing.contains("postgis") ? "postgis=docker.io/postgis/postgis:{major}-3.5 (the PostGIS "
                + "project's images)" : names + "=REGISTRY/IMAGE:{major}";
        List<String> packages = new ArrayList<>();
        for (String m : missing) {
            String hint = PgRestoreTools.extensionHint(m, major);
            int at = hint.indexOf("apt install ");
            packages.add(at < 0 ? "the package of " + m : hint.substring(at + "apt install ".length()).split("[ ;,]")[0]);
        }
        return "Name an image of PostgreSQL " + major + " that has it: dbrescue config set images.postgresql_extensions '"
                + example + "'; or build one: a Containerfile with `FROM " + standard + "` and `RUN apt-get update && "
                + "apt-get install -y " + String.join(" ", new LinkedHashSet<>(packages)) + "`, then `podman build -t "
                + "localhost/postgres-" + names + ":" + major + " .` and set images.postgresql_extensions to '" + names
                + "=localhost/postgres-" + names + ":{major}'. Nothing was changed.";
    }

    /** "in atlas, maps" — the databases that use the extensions. */
    private static String where(Finding f, List<String> missing) {
        Set<String> dbs = new LinkedHashSet<>();
        if (f.getDetails().get("extensions") instanceof Map<?, ?> m) {
            m.forEach((db, v) -> {
                String text = String.valueOf(v);
                if (missing.stream().anyMatch(text::contains)) {
                    dbs.add(String.valueOf(db));
                }
            });
        }
        return dbs.isEmpty() ? "in the old cluster" : "in " + String.join(", ", dbs);
    }

    /** The old cluster's shared_preload_libraries that the image has (the others left out, with a warning). */
    private static String preload(Finding f, Path backupRoot, String image, String major, PlanContext ctx, boolean podman) {
        String old = PgConfigPlan.oldSettings(f, backupRoot).getOrDefault("shared_preload_libraries", "");
        List<String> libs = PgConfigPlan.libraries(old);
        if (libs.isEmpty()) {
            return "";
        }
        PgImageFiles.Files has = podman ? PgImageFiles.of(image, major, ctx.runId()) : null;
        List<String> kept = has == null ? List.of() : libs.stream().filter(has.libraries()::contains).toList();
        List<String> dropped = libs.stream().filter(l -> !kept.contains(l)).toList();
        if (dropped.isEmpty()) {
            ctx.pass("old-server-preload", "The old server preloads " + String.join(", ", kept) + " in its container, as "
                    + "it did (the image has them).");
        } else {
            ctx.warn("old-server-preload", "The old cluster preloaded " + String.join(", ", libs) + "; the old server in "
                    + "its container preloads " + (kept.isEmpty() ? "nothing" : String.join(", ", kept)) + ": "
                    + (has == null ? "the image " + image + " is not here to check" : image + " lacks "
                    + String.join(", ", dropped)) + ".", "Usually harmless for moving the data (the libraries are "
                    + "needed to run, not to dump). " + fix(dropped, major, image));
        }
        return String.join(",", kept);
    }
}
