package io.dbrescue.container;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Locale names as databases record them, and what localedef needs to make each. */
class LocaleNameTest {
    @Test
    void namesAreNormalizedAsGlibcLooksThemUp() {
        assertThat(LocaleName.normalize("de_DE.UTF-8")).isEqualTo("de_DE.utf8");
        assertThat(LocaleName.normalize("en_US.utf8")).isEqualTo("en_US.utf8");
        assertThat(LocaleName.normalize("C.UTF-8")).isEqualTo("C.utf8");
        assertThat(LocaleName.normalize("de_DE.ISO-8859-15@euro")).isEqualTo("de_DE.iso885915@euro");
        assertThat(LocaleName.normalize("de_DE")).isEqualTo("de_DE");
        assertThat(LocaleName.normalizeCodeset("8859-1")).isEqualTo("iso88591");
    }

    @Test
    void localedefGetsTheSourceAndTheCharacterMap() {
        LocaleName de = LocaleName.parse("de_DE.UTF-8", "UTF8");
        assertThat(de.source()).isEqualTo("de_DE");
        assertThat(de.charmap()).isEqualTo("UTF-8");
        assertThat(de.localedefArgs(null)).containsExactly("-i", "de_DE", "-c", "-f", "UTF-8", "de_DE.UTF-8");
        assertThat(de.localedefArgs("/tmp/x/de_DE.utf8")).endsWith("/tmp/x/de_DE.utf8");
        LocaleName sr = LocaleName.parse("sr_RS.UTF-8@latin", "UTF8");
        assertThat(sr.source()).isEqualTo("sr_RS@latin");
        assertThat(sr.normalized()).isEqualTo("sr_RS.utf8@latin");
        assertThat(LocaleName.parse("C.UTF-8", "UTF8").source()).isEqualTo("C");
        // no codeset: the database's encoding says which character map
        assertThat(LocaleName.parse("de_DE", "LATIN9").charmap()).isEqualTo("ISO-8859-15");
        assertThat(LocaleName.parse("fr_FR.iso88591", "LATIN1").charmap()).isEqualTo("ISO-8859-1");
    }

    @Test
    void anythingElseIsRefused() {
        assertThat(LocaleName.parse("English_United States.1252", "WIN1252")).isNull();
        assertThat(LocaleName.parse("de_DE.UTF-8\"]\nRUN [\"sh", "UTF8")).isNull();
        assertThat(LocaleName.parse("de_DE; rm -rf /", "UTF8")).isNull();
        assertThat(LocaleName.parse("de_DE.NOSUCHCODE", "UTF8")).isNull();
        assertThat(LocaleName.builtIn("C")).isTrue();
        assertThat(LocaleName.builtIn("POSIX")).isTrue();
        assertThat(LocaleName.builtIn("C.UTF-8")).isFalse();
    }
}
