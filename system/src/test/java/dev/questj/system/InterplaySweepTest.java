package dev.questj.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.questj.system.config.FaultReader;
import dev.questj.system.config.SystemConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Probe: a sweep of single random faults (kind, sandbox, target, time) over
 * examples/fault-recovery.yaml, with the scheduler's invariant checks on. For each run: no exception,
 * no deadline miss outside the faulty sandbox, no message lost; a subset is run twice for determinism.
 * Size and duration: -Dreview.runs (default 300), -Dreview.ms (default 1500).
 */
class InterplaySweepTest {
    private static final long MS = 1_000_000;
    static final String[] SANDBOXES = {"control", "sensing", "comms"};
    static final String[] KINDS = {"kernel-panic", "kernel-wild-write", "runaway-thread", "hung-driver", "corrupt-message", "unresponsive"};

    @Test
    void singleRandomFaultsKeepTheOthersWhole() throws Exception {
        int runs = Integer.getInteger("review.runs", 300);
        long durMs = Long.getLong("review.ms", 1500);
        SystemConfig clean = FaultRecoveryTest.withOnly();
        SplittableRandom rnd = new SplittableRandom(42);
        List<String> problems = new ArrayList<>();
        int done = 0;
        for (int i = 0; i < runs; i++) {
            String sandbox = SANDBOXES[rnd.nextInt(SANDBOXES.length)];
            String kind = KINDS[rnd.nextInt(KINDS.length)];
            long at = 1 * MS + rnd.nextLong((durMs - 2) * MS);
            String spec = "at=" + at + "ns sandbox=" + sandbox + " kind=" + kind;
            if (kind.equals("runaway-thread")) {
                var threads = clean.questV().sandboxes().stream().filter(s -> s.name().equals(sandbox)).findFirst().orElseThrow().threads();
                spec += " thread=" + threads.get(rnd.nextInt(threads.size())).name();
            }
            SystemConfig cfg;
            try {
                cfg = clean.withFaults(List.of(FaultReader.parse(spec, clean)));
            } catch (IllegalArgumentException e) {
                continue; // e.g. control has no device for a hung driver
            }
            done++;
            RunResult r;
            try {
                r = QuestSystem.of(cfg).run(RunOptions.inMemory().withChecks(true).withDuration(durMs * MS));
            } catch (Throwable e) {
                problems.add(spec + ": " + e);
                continue;
            }
            for (RunResult.ThreadResult t : r.threads()) {
                if (!t.sandbox().equals(sandbox) && t.deadlineMisses() > 0) {
                    problems.add(spec + ": " + t.sandbox() + "/" + t.name() + " missed " + t.deadlineMisses());
                }
            }
            for (RunResult.ChannelResult c : r.channels()) {
                if (c.lost() != 0) {
                    problems.add(spec + ": channel " + c.name() + " lost " + c.lost());
                }
            }
            var f = r.faults().getFirst();
            if (i % 10 == 0) {
                RunResult again = QuestSystem.of(cfg).run(RunOptions.inMemory().withChecks(true).withDuration(durMs * MS));
                if (!fingerprint(again).equals(fingerprint(r))) {
                    problems.add(spec + ": not deterministic");
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    /** What a run produced, without wall time or identity-printed objects. */
    static String fingerprint(RunResult r) {
        StringBuilder sb = new StringBuilder();
        for (RunResult.ThreadResult t : r.threads()) {
            sb.append(t.name()).append(' ').append(t.jobs()).append(' ').append(t.completed()).append(' ').append(t.deadlineMisses())
                    .append(' ').append(t.cpuCycles()).append(' ').append(t.responseMax()).append(' ').append(t.incarnations())
                    .append(' ').append(t.jobsAbandoned()).append('\n');
        }
        r.vcpus().forEach(v -> sb.append(v.name()).append(' ').append(v.consumed()).append(' ').append(v.maxWindowUsage()).append('\n'));
        r.channels().forEach(c -> sb.append(c).append('\n'));
        r.faults().forEach(f -> sb.append(f).append('\n'));
        sb.append(r.events());
        return sb.toString();
    }
}
