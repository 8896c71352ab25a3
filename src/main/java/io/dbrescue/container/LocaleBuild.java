package io.dbrescue.container;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbrescue.plan.Step;
import io.dbrescue.plan.StepParams;
import io.dbrescue.run.CopyTree;
import io.dbrescue.run.Exec;
import io.dbrescue.run.StepContext;
import io.dbrescue.run.StepExecutor;
import io.dbrescue.run.StepFailure;
import io.dbrescue.run.TypedStep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The {@code container-locales} step (image, tag, locales = name to encoding): makes the derived image of
 * {@link LocaleImage} when the run gets there — the image is asked again (it may have been pulled only now), an
 * impossible locale fails the step before anything is copied, a derived image made earlier from the same image
 * id is used as it is. The Containerfile uses exec-form RUN lines only (no shell in the image is needed or used)
 * with locale names that passed {@link LocaleName#parse}; the build has no network.
 */
public final class LocaleBuild implements TypedStep<LocaleBuild.ContainerLocales> {
    private static final Logger LOG = LoggerFactory.getLogger(LocaleBuild.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * {@code container-locales}: the image tag made from image with the locales (name to encoding) the old databases
     * use; argv is the podman build the plan showed (the run builds from what it finds then); containerfile is the
     * plan's Containerfile, for its reader.
     */
    record ContainerLocales(List<String> argv, String image, String tag, Map<String, String> locales,
                            String containerfile) implements StepParams {
        @Override
        public String kind() {
            return "container-locales";
        }
    }

    /** podman build's argument list for a context folder. */
    static List<String> buildArgv(String tag, String podman, String context, boolean hostSources) {
        List<String> a = new ArrayList<>(List.of(podman, "build", "--pull=never", "--network=none", "--security-opt",
                "label=disable", "-t", tag, "-f", context + "/Containerfile"));
        if (hostSources) {
            a.addAll(List.of("-v", LocaleImage.HOST_SOURCES + ":" + LocaleImage.HOST_SOURCES_IN_BUILD + ":ro"));
        }
        a.add(context);
        return a;
    }

    /** The Containerfile: FROM the image, one layer per locale, the labels that make the image reusable. */
    static List<String> containerfile(String base, String baseId, List<LocaleImage.Item> built) {
        List<String> lines = new ArrayList<>(List.of("FROM " + base, "USER 0"));
        if (built.stream().anyMatch(i -> i.how() == LocaleImage.How.HOST_COMPILED)) {
            lines.add("COPY locales/ /usr/lib/locale/");
        }
        if (built.stream().anyMatch(i -> i.how() == LocaleImage.How.IN_IMAGE_HOST_SOURCES)) {
            lines.add("ENV I18NPATH=" + LocaleImage.HOST_SOURCES_IN_BUILD); // where localedef looks for sources first
        }
        for (LocaleImage.Item i : built) {
            if (i.how() != LocaleImage.How.HOST_COMPILED) {
                List<String> argv = new ArrayList<>(List.of("localedef"));
                argv.addAll(i.locale().localedefArgs(null));
                lines.add("RUN [" + argv.stream().map(LocaleBuild::quote).collect(Collectors.joining(", ")) + "]");
            }
        }
        String names = built.stream().map(LocaleImage.Item::name).collect(Collectors.joining(" "));
        lines.add("LABEL " + quote(LocaleImage.BASE_LABEL) + "=" + quote(baseId) + " " + quote(LocaleImage.LOCALES_LABEL)
                + "=" + quote(names));
        return lines;
    }

    private static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The step's executor. */
    public static StepExecutor executor() {
        return new LocaleBuild();
    }

    @Override
    public void run(ContainerLocales p, Step step, StepContext ctx) throws Exception {
        String base = p.image();
        String tag = p.tag();
        Map<String, String> wanted = p.locales();
        String baseId = Podman.imageId(base);
        if (baseId == null) {
            throw new StepFailure("image-missing", "The image " + base + " is not on this machine.", "Run the recovery "
                    + "again: its first steps pull or find the image. Nothing was changed.");
        }
        ImageFacts facts = ImageFacts.of(base, ctx.plan().runId());
        if (facts == null) { // nothing can be known: the server's own start says whether a locale is missing
            ctx.log("Could not look inside " + base + " (no /bin/sh in it): it is used as it is.");
            tagAs(base, tag, ctx);
            return;
        }
        LocaleImage.Decision d = LocaleImage.decide(base, facts, ImageFacts.host(), wanted);
        if (!d.impossible().isEmpty()) {
            throw new StepFailure("locale-missing", "The old databases use the locale(s) " + d.impossible().stream()
                    .map(i -> i.name() + " (" + i.why() + ")").collect(Collectors.joining(", ")) + ", which the image "
                    + base + " lacks and which cannot be made for it.", LocaleImage.fix(base, d.impossible()));
        }
        List<LocaleImage.Item> built = d.built();
        if (built.isEmpty()) {
            ctx.log("The image " + base + " has every locale the old databases use.");
            tagAs(base, tag, ctx);
            return;
        }
        String names = built.stream().map(LocaleImage.Item::name).collect(Collectors.joining(" "));
        if (baseId.equals(Podman.imageLabel(tag, LocaleImage.BASE_LABEL))
                && names.equals(Podman.imageLabel(tag, LocaleImage.LOCALES_LABEL))) {
            ctx.log("The image " + tag + " (made earlier from this " + base + ") has the locales: " + names + ".");
            return;
        }
        build(step, ctx, base, baseId, tag, built);
    }

    private static void build(Step step, StepContext ctx, String base, String baseId, String tag,
                              List<LocaleImage.Item> built) throws Exception {
        Path context = ctx.runDir().resolve(contextName(tag));
        CopyTree.delete(context);
        Files.createDirectories(context);
        try {
            for (LocaleImage.Item i : built) {
                if (i.how() == LocaleImage.How.HOST_COMPILED) {
                    compileHere(i, context.resolve("locales"), ctx);
                }
            }
            Files.write(context.resolve("Containerfile"), containerfile(base, baseId, built), StandardCharsets.UTF_8);
            boolean hostSources = built.stream().anyMatch(i -> i.how() == LocaleImage.How.IN_IMAGE_HOST_SOURCES);
            LOG.info("building {} from {} ({})", tag, base, baseId);
            ctx.log("Making the image " + tag + " from " + base + " with " + built.stream()
                    .map(i -> i.name() + " (" + i.why() + ")").collect(Collectors.joining(", ")) + ".");
            Exec.Result r = Exec.of(buildArgv(tag, Podman.command(), context.toString(), hostSources))
                    .timeout(ctx.timeout().compareTo(Duration.ofMinutes(30)) < 0 ? ctx.timeout() : Duration.ofMinutes(30))
                    .run(ctx);
            if (!r.ok() || !Podman.imageExists(tag)) {
                throw new StepFailure("locale-image", "Podman could not make the image " + tag + " (" + base
                        + " with the locales of the old databases). It said:\n  " + String.join("\n  ",
                        io.dbrescue.text.Lines.last(r.stderrTail() + "\n" + r.stdoutTail(), 8)),
                        LocaleImage.fix(base, built));
            }
        } finally {
            CopyTree.delete(context);
        }
        ctx.log("Made the image " + tag + ".");
    }

    /** localedef here, into a folder named as glibc looks the locale up (de_DE.utf8), to be copied into the image. */
    private static void compileHere(LocaleImage.Item i, Path into, StepContext ctx) throws Exception {
        Files.createDirectories(into);
        List<String> argv = new ArrayList<>(List.of("localedef"));
        argv.addAll(i.locale().localedefArgs(into.resolve(i.locale().normalized()).toString()));
        Exec.Result r = Exec.of(argv).timeout(Duration.ofMinutes(5)).run(ctx);
        if (!Files.isRegularFile(into.resolve(i.locale().normalized()).resolve("LC_CTYPE"))) {
            throw new StepFailure("locale-image", "localedef could not make the locale " + i.name() + " here. It said:\n  "
                    + String.join("\n  ", io.dbrescue.text.Lines.last(r.stderrTail() + "\n" + r.stdoutTail(), 6)),
                    "Check that the locale sources are installed (Debian/Ubuntu: sudo apt install locales), then run "
                            + "again; nothing was changed.");
        }
    }

    /** The image as it is, under the derived name the later steps use. */
    private static void tagAs(String base, String tag, StepContext ctx) throws Exception {
        Exec.Result r = Exec.of(List.of(Podman.command(), "tag", base, tag)).timeout(Duration.ofMinutes(1)).run(ctx);
        if (!r.ok()) {
            throw new StepFailure("container", "podman tag " + base + " " + tag + " failed: "
                    + r.stderrTail().strip(), "See docs/troubleshooting.md for Podman setup problems; nothing was changed.");
        }
    }

    /** The build's folder in the run folder: named by the derived image's digest. */
    static String contextName(String tag) {
        return "image-" + tag.substring(tag.lastIndexOf('-') + 1);
    }
}
