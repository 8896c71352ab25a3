package io.dbrescue.mongodb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** The processor's flags from /proc/cpuinfo: MongoDB 5.0 and later need AVX on x86-64. */
final class Cpu {
    /** Where the flags are read; a test points it at a file of its own. */
    static Path cpuinfo = Path.of("/proc/cpuinfo");

    private Cpu() {
    }

    /** True when a "flags" line lists avx; true as well when the file cannot be read (not Linux x86: not judged). */
    static boolean hasAvx() {
        try {
            for (String line : Files.readAllLines(cpuinfo)) {
                if (line.startsWith("flags")) {
                    return Arrays.asList(line.substring(line.indexOf(':') + 1).trim().split("\\s+")).contains("avx");
                }
            }
            return true;
        } catch (IOException e) {
            return true;
        }
    }
}
