package io.dbrescue.logging;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes passwords from text before it is logged or saved. Two layers: every value registered
 * with {@link #addSecret(String)} is replaced wherever it appears (the engine registers each
 * password it handles), and well-known shapes are masked even when nobody registered them:
 * {@code PGPASSWORD=…}, {@code password=…} in connection strings, {@code user:pass@} in URLs,
 * {@code --password=…}, MySQL's {@code -pSECRET}, redis-cli's {@code -a SECRET}.
 * One instance per process ({@link #global()}) because the log backend needs it too.
 */
public final class Redactor {
    public static final String MASK = "********";
    private static final Redactor GLOBAL = new Redactor();

    private static final Pattern ASSIGNMENT = Pattern.compile(
            "(?i)\\b([A-Z0-9_]*(?:PASSWORD|PASSWD|_PWD|SECRET|TOKEN|REDISCLI_AUTH)[A-Z0-9_]*)([\"']?[ \\t]*[=:][ \\t]*)"
                    + "(\"[^\"]*\"|'[^']*'|[^\\s,;&\"'})\\]]+)");
    private static final Pattern URL_USERINFO = Pattern.compile("(?i)([a-z][a-z0-9+.-]*:/+[^/\\s:@]+):([^@\\s/]+)@");
    private static final Set<String> MYSQL_FAMILY = Set.of("mysql", "mariadb", "mysqldump", "mariadb-dump",
            "mysqladmin", "mariadb-admin", "mysql_upgrade", "mariadb-upgrade", "mysqlcheck", "mariadb-check",
            "mysqlimport", "mariadb-import");
    private static final Set<String> REDIS_FAMILY = Set.of("redis-cli", "valkey-cli");
    private static final Set<String> MONGO_FAMILY = Set.of("mongodump", "mongorestore", "mongosh", "mongo",
            "mongoexport", "mongoimport");

    private final Set<String> secrets = new CopyOnWriteArraySet<>();

    /** A fresh redactor (tests); the program uses {@link #global()}. */
    public Redactor() {
    }

    public static Redactor global() {
        return GLOBAL;
    }

    /** Registers a secret: it is masked wherever it appears from now on. Null and empty are ignored. */
    public void addSecret(String secret) {
        if (secret != null && !secret.isEmpty()) {
            secrets.add(secret);
        }
    }

    /** Text with every registered secret and every password-shaped value masked. */
    public String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String s = text;
        List<String> bySize = new ArrayList<>(secrets);
        bySize.sort(Comparator.comparingInt(String::length).reversed());
        for (String secret : bySize) {
            s = s.replace(secret, MASK);
        }
        s = ASSIGNMENT.matcher(s).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + m.group(2) + MASK));
        s = URL_USERINFO.matcher(s).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + ":" + MASK + "@"));
        return s;
    }

    /** An argument list as it may be logged: options that carry a password are masked, then each argument is redacted. */
    public List<String> redactArgv(List<String> argv) {
        List<String> out = new ArrayList<>(argv.size());
        String program = argv.isEmpty() ? "" : Path.of(argv.get(0)).getFileName().toString().toLowerCase(Locale.ROOT);
        boolean maskNext = false;
        for (int i = 0; i < argv.size(); i++) {
            String a = argv.get(i);
            if (maskNext) {
                out.add(MASK);
                maskNext = false;
                continue;
            }
            if (i > 0) {
                if (a.equals("--password") || a.equals("--pass") || a.equals("--requirepass")
                        || REDIS_FAMILY.contains(program) && a.equals("-a")
                        || MONGO_FAMILY.contains(program) && a.equals("-p")) {
                    out.add(a);
                    maskNext = true;
                    continue;
                }
                if (a.startsWith("--password=") || a.startsWith("--pass=")) {
                    out.add(a.substring(0, a.indexOf('=') + 1) + MASK);
                    continue;
                }
                if (MYSQL_FAMILY.contains(program) && a.startsWith("-p") && a.length() > 2) {
                    out.add("-p" + MASK);
                    continue;
                }
            }
            out.add(redact(a));
        }
        return out;
    }

    /** Environment entries as they may be logged: values of password-like names masked, the rest redacted. */
    public Map<String, String> redactEnv(Map<String, String> env) {
        Map<String, String> out = new LinkedHashMap<>();
        env.forEach((k, v) -> out.put(k, isSecretName(k) ? MASK : redact(v)));
        return out;
    }

    static boolean isSecretName(String name) {
        String n = name.toUpperCase(Locale.ROOT);
        return n.contains("PASSWORD") || n.contains("PASSWD") || n.endsWith("_PWD") || n.contains("SECRET")
                || n.contains("TOKEN") || n.endsWith("_AUTH") || n.equals("REDISCLI_AUTH");
    }
}
