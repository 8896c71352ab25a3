package io.dbrescue.plan;

/**
 * Something that is on this machine now and that a plan replaces: a file, a data directory, a database on a
 * server — with where its safety copy goes ({@code null} when safety copies are off and it is removed).
 *
 * @param group      the finding whose restore replaces it (its path in the backup)
 * @param what       the kind in words: "file", "folder", "data directory", "database", "collections"
 * @param where      the path, or the server and database ("shop on 127.0.0.1:5432")
 * @param safetyCopy where the safety copy goes (a path, or the run folder's file); null: none is kept
 */
public record Replacement(String group, String what, String where, String safetyCopy) {
    /** "The file /x/notes.db is kept as /x/notes.db.before-dbrescue-…" in one sentence. */
    public String sentence() {
        String thing = "The " + what + " " + where;
        return safetyCopy == null ? thing + " is replaced WITHOUT a safety copy (safety copies are off)."
                : thing + " is replaced; its safety copy goes to " + safetyCopy + ".";
    }
}
