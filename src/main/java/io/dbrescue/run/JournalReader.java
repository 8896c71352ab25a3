package io.dbrescue.run;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads a journal for resume and says plainly what is wrong with one that cannot be used: no such
 * run, a run stopped before its journal was first written (only RUN_ID.json.tmp), an empty or
 * cut-short file, or JSON that is not a dbrescue journal. Every case is a {@link JournalException}
 * naming the file and what to do, never a parser's stack trace.
 */
final class JournalReader {
    private static final Logger LOG = LoggerFactory.getLogger(JournalReader.class);
    private static final String START_AGAIN = "start the recovery again (dbrescue recover BACKUP_DIR --select PATH)";

    private JournalReader() {
    }

    static Journal read(String runId, Path dir, ObjectMapper json) throws IOException {
        if (runId == null || !runId.matches("[A-Za-z0-9._-]+") || runId.startsWith(".")) {
            throw new JournalException("there is no run called '" + runId + "' to resume: run ids look like "
                    + "20261203-121811-e205 (the journals are in " + dir + ").");
        }
        Path file = dir.resolve(runId + ".json");
        byte[] bytes = bytes(runId, file);
        if (bytes.length == 0 || new String(bytes, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            throw new JournalException("the journal " + file + " of run " + runId + " is empty (it was cut off while "
                    + "being written), so the run cannot be resumed: move the file aside and " + START_AGAIN + ".");
        }
        Journal.Data data;
        try {
            data = json.readValue(bytes, Journal.Data.class);
        } catch (JsonProcessingException e) {
            LOG.info("cannot parse journal {}", file, e);
            throw new JournalException(parseProblem(runId, file, e), e);
        }
        if (data == null || data.plan == null || data.plan.steps() == null || data.plan.runId() == null) {
            throw notAJournal(runId, file, "it has no plan");
        }
        if (data.format > Journal.FORMAT) {
            throw new JournalException("the journal " + file + " of run " + runId + " was written by a newer dbrescue "
                    + "(journal format " + data.format + "; this one reads up to " + Journal.FORMAT + "): resume it with "
                    + "that version, or " + START_AGAIN + ".");
        }
        if (!runId.equals(data.plan.runId())) {
            throw notAJournal(runId, file, "it is the journal of run " + data.plan.runId());
        }
        return Journal.loaded(file, data);
    }

    private static byte[] bytes(String runId, Path file) throws IOException {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            if (Files.isRegularFile(tmp, LinkOption.NOFOLLOW_LINKS)) {
                throw new JournalException("run " + runId + " was stopped before its journal was first written (only "
                        + tmp + " is there): none of its steps ran, so there is nothing to resume; delete that file and "
                        + START_AGAIN + ".");
            }
            throw new JournalException("there is no run " + runId + " to resume: " + file + " does not exist "
                    + "(dbrescue history lists the runs).");
        } catch (AccessDeniedException e) {
            throw new JournalException("cannot read the journal " + file + ": permission denied. Resume as the user "
                    + "who started the run (or with sudo).");
        } catch (IOException e) {
            throw new JournalException("cannot read the journal " + file + ": " + e.getMessage() + ".", e);
        }
    }

    private static String parseProblem(String runId, Path file, JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        if (e instanceof JsonEOFException || String.valueOf(e.getOriginalMessage()).contains("end-of-input")) {
            return "the journal " + file + " is cut short (it ends" + where + "), so run " + runId + " cannot be "
                    + "resumed: check what the run changed (safety copies are named *.before-dbrescue-*), move the "
                    + "file aside and " + START_AGAIN + ".";
        }
        if (e instanceof MismatchedInputException) {
            return notAJournal(runId, file, "its JSON has another shape" + where).getMessage();
        }
        return "the journal " + file + " is damaged (not valid JSON" + where + "), so run " + runId + " cannot be "
                + "resumed: check what the run changed (safety copies are named *.before-dbrescue-*), move the file "
                + "aside and " + START_AGAIN + ".";
    }

    private static JournalException notAJournal(String runId, Path file, String why) {
        return new JournalException(file + " is not a dbrescue journal (" + why + "), so run " + runId
                + " cannot be resumed: move the file out of " + file.getParent() + " and " + START_AGAIN + ".");
    }
}
