package io.dbrescue;

import io.dbrescue.plan.Containers;
import io.dbrescue.plan.EngineDescriptor;
import io.dbrescue.scan.Engine;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Each engine is described once, in its own package, and the shared packages do not name engines one by one. */
class EnginesTest {
    /** The packages every engine shares: what names an engine here is a place adding an engine must touch. */
    private static final String[] SHARED = {"app", "cli", "container", "elevate", "gui", "history", "logging", "machine",
            "metrics", "plan", "run", "scan", "settings", "text"};

    /** A constant of the Engine enum, a case over it, or a case over an engine's id. */
    private static final Pattern NAMES_AN_ENGINE = Pattern.compile(
            "Engine\\.(POSTGRESQL|MYSQL|MARIADB|MONGODB|REDIS|SQLITE)\\b|case (POSTGRESQL|MYSQL|MARIADB|MONGODB|REDIS|SQLITE)\\b"
                    + "|case \"(postgresql|mysql|mariadb|mongodb|redis|sqlite)\"");

    /**
     * The files of the shared packages that still name engines, and why they could not ask a descriptor. A file
     * that starts naming engines fails this test; one that stops must leave the list.
     */
    private static final Map<String, String> STILL_NAMING = Map.ofEntries(
            Map.entry("gui/Icons.java", "an exhaustive switch: the window's badge text and colour per engine"),
            Map.entry("machine/InstalledServer.java", "PostgreSQL's major numbering (15, 9.6) below the descriptors"),
            Map.entry("settings/Keys.java", "the same numbering for [binaries] keys and image tags"),
            Map.entry("plan/Containers.java", "the default image table the settings' [images] keys are made from"),
            Map.entry("gui/ServerCard.java", "the Target step's cards, one per server kind (merged after the descriptors; not moved yet)"),
            Map.entry("gui/TargetCards.java", "what each card says (merged after the descriptors; not moved yet)"),
            Map.entry("gui/TargetView.java", "a switch over the cards (merged after the descriptors; not moved yet)"));

    @Test
    void everyEngineHasExactlyOneDescriptor() {
        for (Engine e : Engine.values()) {
            assertThat(Engines.all().stream().filter(d -> d.engines().contains(e)).count())
                    .as("descriptors of %s", e).isEqualTo(1);
            assertThat(Engines.of(e).engines()).contains(e);
        }
    }

    @Test
    void everyEngineWithAServerHasItsFacts() {
        for (EngineDescriptor d : Engines.all()) {
            boolean server = d.defaultPort().isPresent();
            assertThat(d.serviceUser().isPresent()).as("service user of %s", d.engines()).isEqualTo(server);
            assertThat(d.passwordVariable().isPresent()).as("password variable of %s", d.engines()).isEqualTo(server);
            assertThat(d.discovery().isPresent()).as("discovery of %s", d.engines()).isEqualTo(server);
            d.discovery().ifPresent(x -> assertThat(x.engines()).as("engines found by %s", x).isEqualTo(d.engines()));
            for (Engine e : d.engines()) {
                assertThat(Containers.DEFAULTS.images().containsKey(e)).as("default image of %s", e).isEqualTo(server);
            }
            assertThat(d.scanning().directoryDetectors().size() + d.scanning().fileDetectors().size())
                    .as("detectors of %s", d.engines()).isPositive();
            assertThat(d.recovery().planners()).as("planners of %s", d.engines()).isNotEmpty();
        }
    }

    @Test
    void eachEngineSuggestsThePackagesOfItsOwnPrograms() {
        assertThat(Engines.packages("/usr/lib/postgresql/16/bin/initdb", "16.4").orElseThrow().packages())
                .containsValue("postgresql-16");
        assertThat(Engines.packages("mariadb-dump", null).orElseThrow().packages()).containsValue("mariadb-client");
        assertThat(Engines.packages("redis-cli", null).orElseThrow().packages()).containsValue("redis-tools");
        assertThat(Engines.packages("sqlite3", null).orElseThrow().packages()).containsValue("sqlite3");
        assertThat(Engines.packages("mongod", null).orElseThrow().note()).contains("mongodb-org");
        assertThat(Engines.packages("rsync", null).orElseThrow().packages()).containsValue("rsync");
        assertThat(Engines.packages("no-such-tool", null)).isEmpty();
    }

    @Test
    void sharedPackagesNameEnginesOnlyWhereListed() throws IOException {
        Path main = Path.of("src/main/java/io/dbrescue");
        Map<String, Long> naming = new TreeMap<>();
        for (String pkg : SHARED) {
            try (Stream<Path> files = Files.walk(main.resolve(pkg))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    long hits = NAMES_AN_ENGINE.matcher(Files.readString(f)).results().count();
                    if (hits > 0) {
                        naming.put(main.relativize(f).toString(), hits);
                    }
                }
            }
        }
        assertThat(naming.keySet()).as("files of the shared packages that name engines: %s", naming)
                .containsExactlyInAnyOrderElementsOf(STILL_NAMING.keySet());
    }
}
