package dev.questj.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.questj.system.config.ConfigReader;
import dev.questj.system.config.FaultReader;
import dev.questj.system.config.SystemConfig;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Probes: a MILS severance while the receiving sandbox is down, or recovering. examples/mils.yaml. */
class InterplayMilsFaultTest {
    static SystemConfig mils(String recovery) throws Exception {
        String yaml = Files.readString(Examples.file("mils.yaml"))
                .replace("  - name: comms\n    label: unclassified\n", "  - name: comms\n    label: unclassified\n    recovery: " + recovery + "\n");
        return ConfigReader.parse(yaml, "mils.yaml");
    }

    static void check(String tag, SystemConfig cfg) {
        assertThatCode(() -> {
            RunResult r = QuestSystem.of(cfg).run(RunOptions.inMemory().withChecks(true).withDuration(1_500_000_000L));
            Audit a = Audit.of(r);
            assertThat(a.equalsDeclared()).isTrue();
            assertThat(r.channels()).allSatisfy(c -> assertThat(c.lost()).isZero());
            assertThat(r.channel("telemetry").severedAt()).isNotNull();
        }).as(tag).doesNotThrowAnyException();
    }

    @Test
    void severedWhileTheReceiverIsDownForGood() throws Exception {
        SystemConfig cfg = mils("stay-down");
        check("MILS-DOWN", cfg.withFaults(List.of(FaultReader.parse("at=990ms sandbox=comms kind=kernel-panic", cfg))));
    }

    @Test
    void severedWhileTheReceiverRecovers() throws Exception {
        SystemConfig cfg = mils("restart");
        check("MILS-RECOVERING", cfg.withFaults(List.of(FaultReader.parse("at=1004500us sandbox=comms kind=kernel-panic", cfg))));
    }

    @Test
    void senderFailsJustBeforeTheSeverance() throws Exception {
        SystemConfig cfg = mils("restart");
        check("MILS-SENDER", cfg.withFaults(List.of(FaultReader.parse("at=1004500us sandbox=control kind=kernel-panic", cfg))));
    }
}
