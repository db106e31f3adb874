package dev.questj.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.questj.system.config.ConfigReader;
import dev.questj.system.config.FaultReader;
import dev.questj.system.config.SystemConfig;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Probe: examples/fault-recovery.yaml with comms on two cores (2 and 3: tx, beacon and house
 * on core 3), so that a hung driver stops one core of a live kernel and wake-ups cross cores by IPI.
 * Random faults into comms, invariant checks on; the other sandboxes keep every deadline, nothing lost;
 * each run twice for determinism.
 */
class InterplayMultiCoreSweepTest {
    static SystemConfig twoCoreComms() throws Exception {
        String yaml = Files.readString(Examples.file("fault-recovery.yaml"))
                .replace("cores: 3\n", "cores: 4\n")
                .replace("    cores: [2]\n", "    cores: [2, 3]\n")
                .replace("{name: tx, budget: 1ms, period: 20ms, core: 2}", "{name: tx, budget: 1ms, period: 20ms, core: 3}")
                .replace("{name: beacon, budget: 1ms, period: 20ms, core: 2}", "{name: beacon, budget: 1ms, period: 20ms, core: 3}")
                .replace("{name: house, budget: 2ms, period: 40ms, core: 2}", "{name: house, budget: 2ms, period: 40ms, core: 3}")
                .replaceAll("(?s)faults:\n.*", "");
        return ConfigReader.parse(yaml, "two-core-comms.yaml");
    }

    @Test
    void randomFaultsIntoATwoCoreSandbox() throws Exception {
        SystemConfig clean = twoCoreComms();
        int runs = Integer.getInteger("review.runs", 80);
        String[] kinds = {"kernel-panic", "unresponsive", "hung-driver device=eth0", "kernel-wild-write", "runaway-thread thread=downlink",
                "corrupt-message channel=status"};
        SplittableRandom rnd = new SplittableRandom(7);
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            String spec = "at=" + (1_000_000 + rnd.nextLong(1_400_000_000L)) + "ns sandbox=comms kind=" + kinds[rnd.nextInt(kinds.length)];
            SystemConfig cfg = clean.withFaults(List.of(FaultReader.parse(spec, clean)));
            try {
                RunResult r = QuestSystem.of(cfg).run(RunOptions.inMemory().withChecks(true).withDuration(1_500_000_000L));
                RunResult again = QuestSystem.of(cfg).run(RunOptions.inMemory().withChecks(true).withDuration(1_500_000_000L));
                if (!InterplaySweepTest.fingerprint(r).equals(InterplaySweepTest.fingerprint(again))) {
                    problems.add(spec + ": not deterministic");
                }
                r.threads().stream().filter(t -> !t.sandbox().equals("comms") && t.deadlineMisses() > 0)
                        .forEach(t -> problems.add(spec + ": " + t.name() + " missed " + t.deadlineMisses()));
                r.channels().stream().filter(c -> c.lost() != 0).forEach(c -> problems.add(spec + ": " + c.name() + " lost " + c.lost()));
            } catch (Throwable e) {
                problems.add(spec + ": " + e);
            }
        }
        assertThat(problems).isEmpty();
    }
}
