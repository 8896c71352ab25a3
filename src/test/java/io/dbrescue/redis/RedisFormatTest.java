package io.dbrescue.redis;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The parsers on small inputs: CRC-64 check value, RESP tail states, manifest lines. */
class RedisFormatTest {
    @Test
    void crc64IsRedisJonesVariant() {
        byte[] b = "123456789".getBytes(StandardCharsets.US_ASCII);
        // the check value from Redis' src/crc64.c test
        assertThat(Crc64.update(0, b, 0, b.length)).isEqualTo(0xe9c6d914c4b8d9caL);
        long split = Crc64.update(Crc64.update(0, b, 0, 4), b, 4, 5);
        assertThat(split).isEqualTo(0xe9c6d914c4b8d9caL);
    }

    @Test
    void respTailStates() {
        String set = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n";
        assertThat(tail(set + set, true).end()).isEqualTo(Aof.End.COMPLETE);
        assertThat(tail(set + set.substring(0, 10), true)).isEqualTo(new Aof.Tail(Aof.End.TRUNCATED, set.length()));
        assertThat(tail(set + "*1\r\n$5\r\nMULTI\r\n" + set, true).end()).isEqualTo(Aof.End.OPEN_MULTI);
        assertThat(tail(set + "*1\r\n$5\r\nMULTI\r\n" + set + "*1\r\n$4\r\nEXEC\r\n", true).end())
                .isEqualTo(Aof.End.COMPLETE);
        assertThat(tail("#TS:1700000000\r\n" + set, true).end()).isEqualTo(Aof.End.COMPLETE);
        assertThat(tail(set + "garbage", true).end()).isEqualTo(Aof.End.FORMAT_ERROR);
        // a window that starts mid-command finds the next boundary
        String mid = set.substring(7) + set + set.substring(0, set.length() - 1);
        assertThat(tail(mid, false).end()).isEqualTo(Aof.End.TRUNCATED);
        assertThat(tail(set.substring(7) + set, false).end()).isEqualTo(Aof.End.COMPLETE);
    }

    @Test
    void looksLikeResp() {
        assertThat(Aof.looksLikeResp("*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n".getBytes(StandardCharsets.US_ASCII))).isTrue();
        assertThat(Aof.looksLikeResp("* a markdown list\n".getBytes(StandardCharsets.US_ASCII))).isFalse();
        assertThat(Aof.looksLikeResp("*2\r\n$6\r\nSEL\0CT\r\n".getBytes(StandardCharsets.US_ASCII))).isFalse();
    }

    @Test
    void manifestLines() {
        var parts = AofDirectoryDetector.parse("file appendonly.aof.1.base.rdb seq 1 type b\n"
                + "file \"my file.aof\" seq 2 type i\n");
        assertThat(parts).containsExactly(new AofDirectoryDetector.Part("appendonly.aof.1.base.rdb", 1, 'b'),
                new AofDirectoryDetector.Part("my file.aof", 2, 'i'));
        assertThat(AofDirectoryDetector.parse("just some text\n")).isNull();
        assertThat(AofDirectoryDetector.parse("file ../etc/passwd seq 1 type b\n")).isNull();
    }

    @Test
    void versionRanges() {
        assertThat(Rdb.releasesFor(9)).isEqualTo("5.0–6.2");
        assertThat(Rdb.releasesFor(12)).isEqualTo("≥7.4");
        assertThat(Rdb.version("REDIS0011".getBytes(StandardCharsets.US_ASCII))).isEqualTo(11);
        assertThat(Rdb.version("REDIS00x1".getBytes(StandardCharsets.US_ASCII))).isEqualTo(-1);
    }

    private static Aof.Tail tail(String s, boolean exact) {
        return Aof.checkEnd(s.getBytes(StandardCharsets.US_ASCII), 0, exact);
    }
}
