package io.dbrescue.gui;

import io.dbrescue.machine.Target;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** An empty login field reads as the login dbrescue will use: root's is postgres, a desktop user's is their own. */
class TargetCardsPromptTest {
    @Test
    void theUserFieldSaysWhoDbrescueLogsInAs() {
        Target asRoot = new Target(List.of(), null, true);
        Target asDesktopUser = new Target(List.of(), null, false);
        assertThat(TargetCards.prompt(ServerCard.POSTGRESQL, "user", asRoot)).isEqualTo("postgres");
        assertThat(TargetCards.prompt(ServerCard.POSTGRESQL, "user", asDesktopUser))
                .isEqualTo(System.getProperty("user.name") + " (you), else postgres");
        assertThat(TargetCards.prompt(ServerCard.MYSQL, "user", asDesktopUser)).isEqualTo("root");
    }
}
