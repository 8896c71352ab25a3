package io.dbrescue.postgres.restore;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.Patch;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The dry run's view of a carried configuration: per file a unified diff (two lines of context) from the old
 * file in the backup to what will be written, or a line saying it is carried as it is. A password inside a
 * setting (primary_conninfo = '... password=...') is shown as ***: the plan is printed and journaled.
 */
final class PgConfigDiff {
    private static final Pattern SECRET = Pattern.compile("(password\\s*=\\s*)('[^']*'|\\S+)", Pattern.CASE_INSENSITIVE);

    private PgConfigDiff() {
    }

    static String of(List<PgConfigCarry.Out> files) {
        StringBuilder b = new StringBuilder();
        for (PgConfigCarry.Out o : files) {
            if (!o.changed()) {
                b.append("= ").append(o.path()).append(": carried as it is (from ").append(o.from()).append(")\n");
                continue;
            }
            List<String> before = o.before() == null ? List.of() : lines(o.before());
            List<String> after = lines(o.after());
            Patch<String> patch = DiffUtils.diff(before, after);
            List<String> diff = UnifiedDiffUtils.generateUnifiedDiff(o.before() == null ? "/dev/null" : o.from(),
                    o.path().toString(), before, patch, 2);
            for (String line : diff) {
                b.append(SECRET.matcher(line).replaceAll("$1***")).append('\n');
            }
        }
        return b.toString();
    }

    private static List<String> lines(String text) {
        List<String> out = new ArrayList<>(List.of(text.split("\n", -1)));
        if (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
            out.remove(out.size() - 1);
        }
        return out;
    }
}
