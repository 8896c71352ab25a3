package io.dbrescue.settings;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean …?" for a misspelt key or value: the closest candidate within a small edit distance. */
public final class Suggest {
    private Suggest() {
    }

    public static Optional<String> closest(String wrong, Collection<String> candidates) {
        String w = wrong.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(w, c.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        int allowed = Math.max(2, w.length() / 3);
        if (bestDistance <= allowed) {
            return Optional.of(best);
        }
        // a shortened or lengthened name: dry_run for dry_run_mode
        return w.length() < 4 ? Optional.empty() : candidates.stream()
                .filter(c -> c.toLowerCase(Locale.ROOT).startsWith(w) || w.startsWith(c.toLowerCase(Locale.ROOT)))
                .findFirst();
    }

    /** " Did you mean x?" or "". */
    public static String hint(String wrong, Collection<String> candidates) {
        return closest(wrong, candidates).map(c -> " Did you mean " + c + "?").orElse("");
    }

    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
