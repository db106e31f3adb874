package dev.questj.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.questj.system.config.FaultReader;
import dev.questj.system.config.SystemConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Probes: the fault injector's one pending slot per sandbox, and a hung core still taking messages. */
class InterplayFaultBookkeepingTest {
    static RunResult run(String... specs) throws Exception {
        SystemConfig cfg = FaultRecoveryTest.withOnly(specs);
        return QuestSystem.of(cfg).run(RunOptions.inMemory().withChecks(true).withDuration(1_500_000_000L));
    }

    /** Two faults in one sandbox: a corrupted message, then a runaway thread; the checksum still catches the first. */
    @Test
    void aSecondFaultDoesNotHideTheFirstsDetection() throws Exception {
        RunResult r = run("at=1s sandbox=comms kind=corrupt-message channel=status",
                "at=1000001us sandbox=comms kind=runaway-thread thread=housekeeping");
        assertThat(r.channel("status").corrupted()).as("the checksum caught it").isPositive();
        assertThat(r.faults().getFirst().outcome()).as("the corruption's report").isEqualTo("contained");
    }

    /** A hung driver, then a runaway thread before the watchdog looks: the hang is reported as what was injected. */
    @Test
    void aHungDriverStaysItsOwnReport() throws Exception {
        RunResult r = run("at=1s sandbox=comms kind=hung-driver device=eth0",
                "at=1001us sandbox=comms kind=runaway-thread thread=housekeeping".replace("1001us", "1001ms"));
        assertThat(r.faults()).as("two injected, no phantom").hasSize(2);
        assertThat(r.faults().getFirst().outcome()).isEqualTo("recovered");
    }

    /**
     * A message that reaches a thread whose core is hung (hung-driver, before the watchdog notices)
     * is counted delivered but never handled; with kind=unresponsive at the same instant it waits
     * and is handled after the recovery. Compare downlink's handled messages.
     */
    @Test
    void aHungCoreDoesNotSwallowMessages() throws Exception {
        List<String> diffs = new ArrayList<>();
        for (long ms = 1000; ms < 1040; ms++) {
            RunResult hung = run("at=" + ms + "ms sandbox=comms kind=hung-driver device=eth0");
            RunResult silent = run("at=" + ms + "ms sandbox=comms kind=unresponsive");
            var h = hung.thread("downlink");
            var s = silent.thread("downlink");
            if (h.jobsAbandoned() != s.jobsAbandoned() || h.completed() != s.completed()) {
                diffs.add(ms + "ms: hung-driver downlink completed " + h.completed() + " abandoned " + h.jobsAbandoned()
                        + " (telemetry delivered " + hung.channel("telemetry").delivered() + "/" + hung.channel("telemetry").sent()
                        + ") vs unresponsive completed " + s.completed() + " abandoned " + s.jobsAbandoned()
                        + " (delivered " + silent.channel("telemetry").delivered() + "/" + silent.channel("telemetry").sent() + ")");
            }
        }
        assertThat(diffs).isEmpty();
    }
}
