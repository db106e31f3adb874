package dev.questj.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.questj.system.config.ConfigReader;
import dev.questj.system.config.FaultReader;
import dev.questj.system.config.SystemConfig;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Probes: faults injected into the Quest-Linux sandbox of examples/quest-linux.yaml (fair VCPU, no budgets). */
class InterplayLinuxFaultTest {
    static SystemConfig base() throws Exception {
        return ConfigReader.read(Examples.file("quest-linux.yaml"));
    }

    static RunResult run(SystemConfig cfg) throws Exception {
        return QuestSystem.of(cfg).run(RunOptions.inMemory().withChecks(true));
    }


    @Test
    void eachKindIntoTheLinuxSandbox() throws Exception {
        for (String kind : List.of("kernel-panic", "kernel-wild-write", "runaway-thread thread=cron", "unresponsive",
                "corrupt-message channel=commands")) {
            SystemConfig cfg = base().withFaults(List.of(FaultReader.parse("at=2s sandbox=linux kind=" + kind, base())));
            assertThatCode(() -> {
                RunResult r = run(cfg);
                for (RunResult.ThreadResult t : r.threads()) {
                    if (t.sandbox().equals("control")) {
                        assertThat(t.deadlineMisses()).as(t.name()).isZero();
                    }
                }
                assertThat(r.channels()).allSatisfy(c -> assertThat(c.lost()).isZero());
            }).as(kind).doesNotThrowAnyException();
        }
    }

    /**
     * After a recovery the fair scheduler should start afresh: the processes are new. Compare the
     * CPU split of build (nice 0) and indexer (nice 5) after a restart with the configured ratio 1024:335.
     */
    @Test
    void theFairShareAfterARestart() throws Exception {
        SystemConfig cfg = base().withFaults(List.of(FaultReader.parse("at=2s sandbox=linux kind=kernel-panic", base())));
        RunResult clean = run(base());
        RunResult r = run(cfg);
        double ratioClean = (double) clean.thread("build").cpuCycles() / clean.thread("indexer").cpuCycles();
        double ratio = (double) r.thread("build").cpuCycles() / r.thread("indexer").cpuCycles();
        assertThat(ratio).isCloseTo(ratioClean, org.assertj.core.data.Percentage.withPercentage(5));
    }
}
