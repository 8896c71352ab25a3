package io.dbrescue.run;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Journals keep a format number. A journal written before the number existed (format 1: checked in as
 * src/test/resources/io/dbrescue/run/journal-v1.json, written by the version before typed steps, its copy step cut
 * off half way) resumes with today's executors; a journal of a newer format is refused in words.
 */
class JournalFormatTest {
    private static final String RUN = "20261203-160000-v1ab";
    @TempDir
    Path tmp;
    Path work;
    Path source;

    @BeforeEach
    void setUp() throws IOException {
        System.setProperty("dbrescue.state.dir", tmp.resolve("state").toString());
        work = Files.createDirectories(tmp.resolve("work"));
        source = Files.createDirectories(tmp.resolve("source/data"));
        Files.writeString(source.resolve("table"), "rows");
        Files.createDirectories(work.resolve("live"));
        Files.writeString(work.resolve("live/old"), "before");
    }

    @AfterEach
    void tearDown() {
        System.clearProperty("dbrescue.state.dir");
    }

    /** The checked-in journal with its placeholder folders pointed at this test's. */
    private void install(String resource, String run, String format) throws IOException {
        String json;
        try (InputStream in = getClass().getResourceAsStream(resource)) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        json = json.replace("/WORK", work.toString()).replace("/SOURCE", tmp.resolve("source").toString())
                .replace("/BACKUP", tmp.resolve("backup").toString());
        if (format != null) {
            json = json.replaceFirst("\\{", "{\n  \"format\" : " + format + ",");
        }
        Path runs = Files.createDirectories(tmp.resolve("state/runs"));
        Files.writeString(runs.resolve(run + ".json"), json);
    }

    @Test
    void aJournalFromBeforeTheFormatNumberResumes() throws Exception {
        install("journal-v1.json", RUN, null);
        // the copy was cut off: a part of it is there
        Files.createDirectories(work.resolve("stage/copy"));
        Files.writeString(work.resolve("stage/copy/partial"), "half");
        Journal j = Journal.load(RUN);
        assertThat(j.data().format).isEqualTo(1);
        assertThat(j.data().steps.get("1.2")).isEqualTo(Journal.StepState.RUNNING);

        RunResult r = new Runner(BasicSteps.all()).resume(j, e -> { });

        assertThat(r.exitCode()).isEqualTo(RunResult.OK);
        assertThat(Files.readString(work.resolve("live/table"))).isEqualTo("rows");
        assertThat(work.resolve("live/partial")).as("the cut-off copy was undone first").doesNotExist();
        assertThat(Files.readString(work.resolve("live.before-dbrescue/old"))).isEqualTo("before");
        assertThat(work.resolve("stage")).doesNotExist();
        assertThat(Journal.load(RUN).data().steps.values()).containsOnly(Journal.StepState.DONE);
    }

    @Test
    void aNewJournalCarriesTheFormatItIsWrittenIn() throws Exception {
        install("journal-v1.json", RUN, null);
        Journal created = Journal.create(Journal.load(RUN).plan(), tmp.resolve("other"));
        assertThat(Files.readString(created.file())).contains("\"format\" : " + Journal.FORMAT);
    }

    @Test
    void aJournalOfANewerFormatIsRefusedInWords() throws Exception {
        install("journal-v1.json", RUN, "99");
        assertThatThrownBy(() -> Journal.load(RUN)).isInstanceOf(JournalException.class)
                .hasMessageContaining("written by a newer dbrescue").hasMessageContaining("format 99");
    }
}
