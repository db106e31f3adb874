package dev.questj.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.questj.guest.CpuHog;
import dev.questj.guest.ExecDistribution;
import dev.questj.guest.Guest;
import dev.questj.guest.Periodic;
import dev.questj.machine.Machine;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The Quest-Linux fair scheduler: CPU shares follow the weights, nobody starves, runs repeat exactly. */
class FairSchedulerTest {
    static final long MS = 1_000_000; // at 1 GHz
    static final long LATENCY = 6 * MS;
    static final long MIN_GRANULARITY = 750_000;

    record Slice(String thread, long start, long end) {}

    static final class Recorder implements ScheduleSink {
        final List<Slice> slices = new ArrayList<>();

        @Override
        public void slice(int pcpu, Vcpu vcpu, KThread thread, long start, long end) {
            slices.add(new Slice(thread.name(), start, end));
        }
    }

    record Run(List<KThread> threads, Recorder recorder) {}

    /** One core, one fair VCPU, a process per nice value running {@code guest(i)}, for {@code duration} cycles. */
    static Run run(int[] nices, java.util.function.IntFunction<Guest> guest, long duration) {
        Machine m = new Machine(1, 1, 1_000_000_000L);
        Recorder rec = new Recorder();
        Kernel k = new Kernel("linux", m, List.of(0), new KernelParams(MS, 32, OverheadModel.NONE, true), rec);
        Vcpu cfs = k.createFairVcpu("cfs0", 0, LATENCY, MIN_GRANULARITY);
        List<KThread> threads = new ArrayList<>();
        for (int i = 0; i < nices.length; i++) {
            KThread t = k.createThread("p" + i, cfs, guest.apply(i), new SplittableRandom(i));
            k.setNice(t, nices[i]);
            threads.add(t);
        }
        k.start();
        m.queue().runUntil(duration);
        k.finish();
        return new Run(threads, rec);
    }

    @Test
    void nice0AgainstNice5SharesTheCpu1024To335() {
        Run r = run(new int[] {0, 5}, i -> new CpuHog(), 2_000 * MS);
        double a = r.threads().get(0).cpuCycles();
        double b = r.threads().get(1).cpuCycles();
        assertThat(a + b).isEqualTo(2_000 * MS);
        assertThat(a / b).isCloseTo(1024.0 / 335, org.assertj.core.data.Offset.offset(0.05));
    }

    @Test
    void equalNiceSharesEqually() {
        Run r = run(new int[] {0, 0, 0}, i -> new CpuHog(), 600 * MS);
        for (KThread t : r.threads()) {
            assertThat((double) t.cpuCycles()).isCloseTo(200.0 * MS, org.assertj.core.data.Offset.offset(1.0 * LATENCY));
        }
    }

    @Test
    void slicesFollowTheLatencyAndWeights() {
        Run r = run(new int[] {0, 0}, i -> new CpuHog(), 60 * MS);
        // two equal processes: 3 ms each, alternating
        assertThat(r.recorder().slices.subList(0, 4)).containsExactly(
                new Slice("p0", 0, 3 * MS), new Slice("p1", 3 * MS, 6 * MS), new Slice("p0", 6 * MS, 9 * MS),
                new Slice("p1", 9 * MS, 12 * MS));
    }

    @Test
    void aSleeperKeepsItsRateBesideHogsOfEqualNice() {
        // a periodic process beside two hogs, all nice 0: its 5 % fits its third, every job on time
        Run r = run(new int[] {0, 0, 0},
                i -> i < 2 ? new CpuHog() : new Periodic(20 * MS, 20 * MS, ExecDistribution.constant(MS), 0), 1_000 * MS);
        KThread p = r.threads().get(2);
        assertThat(p.jobsCompleted()).isEqualTo(50);
        assertThat(p.deadlineMisses()).isZero();
    }

    @Test
    void aLowWeightProcessIsNotStarved() {
        // nice 10 (weight 110) beside two nice -5 hogs (3121 each): about 110/6352 of the CPU, never none
        Run r = run(new int[] {-5, -5, 10},
                i -> i < 2 ? new CpuHog() : new Periodic(20 * MS, 20 * MS, ExecDistribution.constant(MS), 0), 1_000 * MS);
        KThread p = r.threads().get(2);
        assertThat((double) p.cpuCycles()).isCloseTo(1_000.0 * MS * 110 / 6352, org.assertj.core.data.Offset.offset(2.0 * MS));
        assertThat(p.jobsCompleted()).isGreaterThanOrEqualTo(15);
    }

    @Test
    void runsRepeatExactly() {
        int[] nices = {3, -2, 0, 7};
        java.util.function.IntFunction<Guest> g = i -> i % 2 == 0 ? new CpuHog()
                : new Periodic((7 + i) * MS, (7 + i) * MS, ExecDistribution.uniform(MS / 2, 2 * MS), 0);
        assertThat(run(nices, g, 300 * MS).recorder().slices).isEqualTo(run(nices, g, 300 * MS).recorder().slices);
    }

    @Test
    void theWeightTableIsLinuxs() {
        assertThat(FairScheduler.weightOf(0)).isEqualTo(1024);
        assertThat(FairScheduler.weightOf(5)).isEqualTo(335);
        assertThat(FairScheduler.weightOf(-20)).isEqualTo(88761);
        assertThat(FairScheduler.weightOf(19)).isEqualTo(15);
    }

    /** Any mix of hogs: each gets CPU in proportion to its weight, within two latencies. */
    @Property(tries = 40)
    void hogsShareInProportionToTheirWeights(@ForAll @Size(min = 1, max = 5) List<@IntRange(min = -20, max = 19) Integer> nices) {
        int[] n = nices.stream().mapToInt(Integer::intValue).toArray();
        long duration = 500 * MS;
        Run r = run(n, i -> new CpuHog(), duration);
        double total = 0;
        for (int x : n) {
            total += FairScheduler.weightOf(x);
        }
        long sum = 0;
        for (int i = 0; i < n.length; i++) {
            long cpu = r.threads().get(i).cpuCycles();
            sum += cpu;
            double expected = duration * FairScheduler.weightOf(n[i]) / total;
            // every runnable process runs at least once per latency period (no starvation) and the
            // error is bounded by a slice or two of the others
            assertThat((double) cpu).as("process %d (nice %d) of %s", i, n[i], nices)
                    .isCloseTo(expected, org.assertj.core.data.Offset.offset(2.0 * LATENCY + n.length * MIN_GRANULARITY));
            assertThat(cpu).isGreaterThan(0);
        }
        assertThat(sum).isEqualTo(duration);
    }
}
