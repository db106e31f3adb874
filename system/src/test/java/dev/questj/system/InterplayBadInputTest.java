package dev.questj.system;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.questj.system.config.ConfigException;
import dev.questj.system.config.FaultReader;
import dev.questj.system.config.SystemConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Probes: bad input that should be a located ConfigException (exit 2), not an internal error (exit 70). */
class InterplayBadInputTest {
    /** quest run examples/quest-linux.yaml --migrate "at=500ms thread=cron to=control": cron is a linux process. */
    @Test
    void migratingALinuxProcessIsAConfigError() throws Exception {
        QuestSystem q = QuestSystem.load(Examples.file("quest-linux.yaml"));
        var req = Migrations.parse("at=500ms thread=cron to=control", q.config().machine().frequencyHz());
        assertThatThrownBy(() -> q.withMigrations(List.of(req))).isInstanceOf(ConfigException.class);
    }

    /** --inject "kind=runaway-thread channel=status": the channel is silently ignored and the thread defaults to rx. */
    @Test
    void aTargetFieldTheKindDoesNotTakeIsRefused() throws Exception {
        SystemConfig cfg = FaultRecoveryTest.withOnly();
        assertThatThrownBy(() -> FaultReader.parse("at=1s sandbox=comms kind=runaway-thread channel=status", cfg))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FaultReader.parse("at=1s sandbox=comms kind=kernel-panic device=eth0", cfg))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
