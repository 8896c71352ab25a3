package io.dbrescue.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * Where each finding of a plan ends up, read from the step that checks it afterwards (every engine's plan ends a
 * restore with one: {@code sqlite-verify}, {@code pg-verify}, {@code mysql-verify}, {@code redis-verify}) — its
 * parameters name the file or the server and databases the check opens, which is where the user finds them.
 */
public final class Destinations {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Destinations() {
    }

    /** The destination of this finding in the plan, if its plan says. */
    public static Optional<Destination> of(Plan plan, String group) {
        List<Step> steps = plan.steps(group);
        for (int i = steps.size() - 1; i >= 0; i--) {
            Step s = steps.get(i);
            Destination d = switch (s.kind()) {
                case "sqlite-verify" -> sqlite(s);
                case "pg-verify" -> postgres(s, "direct".equals(s.params().get("mode")) ? dataDirectory(steps) : null);
                case "mysql-verify" -> mysql(s, dataDirectory(steps));
                case "redis-verify" -> redis(s, placed(steps));
                default -> null;
            };
            if (d != null) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    private static Destination sqlite(Step s) {
        Path file = s.path("target");
        return new Destination(s.group(), file.toString(), parent(file),
                List.of("sqlite3", file.toString()), "sqlite3");
    }

    private static Destination postgres(Step s, String dataDir) {
        List<String> dbs = names(s.params().get("databases"));
        String host = s.params().get("host");
        String port = s.param("port", "5432");
        String socket = s.params().get("socket");
        String peer = s.params().get("peer");
        String db = dbs.isEmpty() ? "postgres" : dbs.get(0);
        List<String> psql = new ArrayList<>();
        if (peer != null && socket != null) { // logs in as the server's OS user, by peer, through its socket
            psql.addAll(List.of("sudo", "-u", peer, "psql", "-h", socket, "-p", port, "-d", db));
        } else {
            psql.addAll(List.of("psql", "-h", host == null ? "localhost" : host, "-p", port));
            if (s.params().get("user") != null) {
                psql.addAll(List.of("-U", s.params().get("user")));
            }
            psql.addAll(List.of("-d", db));
        }
        return new Destination(s.group(), "PostgreSQL on " + server(host, port) + databases(dbs)
                + (dataDir == null ? "" : " (data directory " + dataDir + ")"), dataDir, psql, "psql");
    }

    private static Destination mysql(Step s, String dataDir) {
        List<String> dbs = s.param("expect", "").lines().filter(l -> !l.isBlank()).toList();
        String host = s.params().get("host");
        String port = s.param("port", "3306");
        String socket = s.params().get("socket");
        String bin = s.params().get("clientBin");
        String client = bin == null ? "mariadb" : Path.of(bin).getFileName().toString();
        List<String> argv = new ArrayList<>(List.of(client));
        if (socket != null) {
            argv.add("--socket=" + socket);
        } else {
            argv.addAll(List.of("-h", host == null ? "127.0.0.1" : host, "-P", port));
        }
        if (s.params().get("user") != null) {
            argv.addAll(List.of("-u", s.params().get("user")));
        }
        if (!dbs.isEmpty()) {
            argv.add(dbs.get(0));
        }
        String on = socket != null ? "the socket " + socket : server(host, port);
        return new Destination(s.group(), "MariaDB/MySQL on " + on + databases(dbs)
                + (dataDir == null ? "" : " (data directory " + dataDir + ")"), dataDir, argv, client);
    }

    private static Destination redis(Step s, Path file) {
        String host = s.param("host", "127.0.0.1");
        String port = s.param("port", "6379");
        String cli = s.params().get("cli");
        String client = cli == null ? "redis-cli" : Path.of(cli).getFileName().toString();
        return new Destination(s.group(), "Redis on " + server(host, port) + (file == null ? "" : " (file " + file + ")"),
                file == null ? null : parent(file), List.of(client, "-h", host, "-p", port), client);
    }

    /**
     * The data directory a direct or upgrade plan fills: the new cluster moved there, else the copy into it — not
     * a working copy in the run folder (the container strategy's).
     */
    private static String dataDirectory(List<Step> steps) {
        Path work = steps.isEmpty() ? null : io.dbrescue.run.Journal.runsDir();
        String copied = null;
        for (Step s : steps) {
            if (s.kind().equals("move") && s.params().containsKey("to")) {
                return s.params().get("to");
            }
            String target = s.params().get("target");
            if (copied == null && s.kind().equals("copy-tree") && target != null && s.bytes() > 0
                    && !Path.of(target).startsWith(work)) {
                copied = target;
            }
        }
        return copied;
    }

    /** The file a Redis plan puts in place. */
    private static Path placed(List<Step> steps) {
        String dir = dataDirectory(steps);
        return dir == null ? null : Path.of(dir);
    }

    private static String server(String host, String port) {
        return (host == null || host.startsWith("/") ? "localhost" : host) + ":" + port;
    }

    private static String databases(List<String> dbs) {
        return dbs.isEmpty() ? "" : dbs.size() == 1 ? ", database " + dbs.get(0) : ", databases " + String.join(", ", dbs);
    }

    private static String parent(Path file) {
        Path p = file.toAbsolutePath().getParent();
        return p == null ? null : p.toString();
    }

    /** The database names of a step parameter: a JSON list, or the keys of a JSON object. */
    static List<String> names(String json) {
        if (json == null || json.isBlank()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        try {
            JsonNode n = JSON.readTree(json);
            if (n.isArray()) {
                n.forEach(e -> out.add(e.isTextual() ? e.asText() : e.path("name").asText(e.toString())));
            } else if (n.isObject()) {
                for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
                    out.add(it.next());
                }
            }
        } catch (IOException e) {
            return List.of(json);
        }
        return out;
    }
}
