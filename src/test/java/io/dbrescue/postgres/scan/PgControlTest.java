package io.dbrescue.postgres.scan;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Parser facts that need no cluster; the real pg_control files are tested in PgDataDirectoryScanTest. */
class PgControlTest {
    @Test
    void crc32cIsTheCastagnoliCheckValue() {
        // the standard check value of CRC-32C for "123456789"
        assertThat(PgControl.crc32c("123456789".getBytes(StandardCharsets.US_ASCII), 9)).isEqualTo(0xE3069283);
    }

    @Test
    void legacyCrcIsNotStandardCrc32() {
        // pre-9.5 PostgreSQL drove the reflected table with a shift-left loop: not the zip CRC-32 (0xCBF43926)
        byte[] data = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertThat(PgControl.legacyCrc32(data, 9)).isNotEqualTo(0xCBF43926);
    }

    @Test
    void layoutOf942DependsOnPgVersion() {
        assertThat(PgControl.layout(942, "9.4").crcOffset()).isEqualTo(240);
        assertThat(PgControl.layout(942, "9.5").crcOffset()).isEqualTo(256);
        assertThat(PgControl.layout(1800, "18").crcOffset()).isEqualTo(292);
        assertThat(PgControl.layout(1902, "19")).isNull();
    }

    @Test
    void a95ControlFileWithItsCrcParses() {
        byte[] b = new byte[8192];
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        bb.putLong(0, 6_000_000_000_000_000_001L).putInt(8, 942).putInt(12, 201510051).putInt(16, 1);
        bb.putInt(252, 1);
        bb.putInt(256, PgControl.crc32c(b, 256));
        PgControl c = PgControl.parse(b, "9.5");
        assertThat(c.crc()).isEqualTo(PgControl.Crc.OK);
        assertThat(c.cleanShutdown()).isTrue();
        assertThat(c.dataChecksumVersion()).isEqualTo(1);
        assertThat(c.systemIdentifierText()).isEqualTo("6000000000000000001");
        // the same bytes read as 9.4 fail the legacy CRC at 240
        assertThat(PgControl.parse(b, "9.4").crc()).isEqualTo(PgControl.Crc.MISMATCH);
    }

    @Test
    void versionTextIsValidated() {
        assertThat(PgDataDirectoryDetector.majorNumber("9.6")).isEqualTo(906);
        assertThat(PgDataDirectoryDetector.majorNumber("18")).isEqualTo(1800);
        assertThat(PgDataDirectoryDetector.majorNumber("1.2.3")).isEqualTo(-1);
    }
}
