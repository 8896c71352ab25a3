package io.dbrescue.text;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** One unit system everywhere: powers of 1000, kB / MB / GB, as df -H and file managers show sizes. */
class SizesTest {
    @Test
    void bytesBelowAThousandAreCountedOut() {
        assertThat(Sizes.human(0)).isEqualTo("0 bytes");
        assertThat(Sizes.human(512)).isEqualTo("512 bytes");
        assertThat(Sizes.human(999)).isEqualTo("999 bytes");
    }

    @Test
    void powersOfAThousandWithOneDecimalBelowTen() {
        assertThat(Sizes.human(1000)).isEqualTo("1.0 kB");
        assertThat(Sizes.human(8192)).isEqualTo("8.2 kB");
        assertThat(Sizes.human(50L << 20)).isEqualTo("52 MB");
        assertThat(Sizes.human(1_500_000_000L)).isEqualTo("1.5 GB");
        assertThat(Sizes.human(320_000_000_000L)).isEqualTo("320 GB");
        assertThat(Sizes.human(Long.MAX_VALUE)).isEqualTo("9.2 EB");
    }

    @Test
    void aValueThatWouldRoundToAThousandTakesTheNextUnit() {
        assertThat(Sizes.human(999_499)).isEqualTo("999 kB");
        assertThat(Sizes.human(999_500)).isEqualTo("1.0 MB");
        assertThat(Sizes.human(9_949)).isEqualTo("9.9 kB");
        assertThat(Sizes.human(9_950)).isEqualTo("10 kB");
    }
}
