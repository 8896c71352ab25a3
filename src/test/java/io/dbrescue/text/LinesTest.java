package io.dbrescue.text;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LinesTest {
    @Test
    void theLastLinesThatSaySomething() {
        String log = "starting\n\nFATAL: could not open file\r\n  \nshutting down  \n";
        assertThat(Lines.last(log, 2)).containsExactly("FATAL: could not open file", "shutting down");
        assertThat(Lines.lastText(log, 5)).isEqualTo("starting\nFATAL: could not open file\nshutting down");
        assertThat(Lines.last(null, 3)).isEmpty();
        assertThat(Lines.last("", 3)).isEmpty();
    }
}
