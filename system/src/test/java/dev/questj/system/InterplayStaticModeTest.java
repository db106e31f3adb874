package dev.questj.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.questj.system.config.ConfigReader;
import dev.questj.system.config.FaultReader;
import dev.questj.system.config.SystemConfig;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Probes: static mode (monitors removed after boot): "a failed sandbox stays down and the others go on". */
class InterplayStaticModeTest {
    static SystemConfig staticMode() throws Exception {
        String yaml = Files.readString(Examples.file("fault-recovery.yaml")).replace("overheads: {vmExit: 1500 cycles}",
                "overheads: {vmExit: 1500 cycles}\nmonitors: {afterBoot: remove}")
                .replace("    watchdog: {heartbeat: 1ms, timeout: 5ms}\n", "");
        return ConfigReader.parse(yaml, "static.yaml");
    }

    @Test
    void aSilentHangInStaticModeStaysDown() throws Exception {
        SystemConfig cfg = staticMode();
        cfg = new SystemConfig(cfg.source(), cfg.name(), cfg.seed(), cfg.durationCycles(), cfg.machine(), cfg.overheads(), cfg.kernel(),
                cfg.vcpus(), cfg.threads(), cfg.questV().withOnlyFaults(List.of()));
        cfg = cfg.withFaults(List.of(FaultReader.parse("at=1s sandbox=comms kind=kernel-panic", cfg)));
        RunResult r = QuestSystem.of(cfg).run(RunOptions.inMemory().withChecks(true).withDuration(1_500_000_000L));
        assertThat(r.channels()).allSatisfy(c -> assertThat(c.lost()).isZero());
        assertThat(r.faults().getFirst().outcome()).as("no monitor is left to recover it").isEqualTo("down");
    }
}
