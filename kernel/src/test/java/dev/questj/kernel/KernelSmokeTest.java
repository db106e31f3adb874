package dev.questj.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.questj.guest.CpuHog;
import dev.questj.guest.ExecDistribution;
import dev.questj.guest.Periodic;
import dev.questj.machine.Machine;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KernelSmokeTest {
    record Slice(int pcpu, String vcpu, String thread, long start, long end) {}

    static final class Recorder implements ScheduleSink {
        final List<Slice> slices = new ArrayList<>();

        @Override
        public void slice(int pcpu, Vcpu vcpu, KThread thread, long start, long end) {
            slices.add(new Slice(pcpu, vcpu.name(), thread.name(), start, end));
        }
    }

    @Test
    void twoPeriodicThreadsRunRateMonotonic() {
        Machine m = new Machine(1, 1, 1_000_000);
        Recorder rec = new Recorder();
        Kernel k = new Kernel("", m, List.of(0), new KernelParams(1000, 32, OverheadModel.NONE, true), rec);
        Vcpu fast = k.createMainVcpu("fast", 2, 5, 0);
        Vcpu slow = k.createMainVcpu("slow", 4, 10, 0);
        KThread a = k.createThread("a", fast, new Periodic(5, 5, ExecDistribution.constant(2), 0), new SplittableRandom(1));
        KThread b = k.createThread("b", slow, new Periodic(10, 10, ExecDistribution.constant(4), 0), new SplittableRandom(2));
        k.start();
        m.queue().runUntil(20);
        k.finish();
        assertThat(rec.slices).containsExactly(
                new Slice(0, "fast", "a", 0, 2),
                new Slice(0, "slow", "b", 2, 5),
                new Slice(0, "fast", "a", 5, 7),
                new Slice(0, "slow", "b", 7, 8),
                new Slice(0, "fast", "a", 10, 12),
                new Slice(0, "slow", "b", 12, 15),
                new Slice(0, "fast", "a", 15, 17),
                new Slice(0, "slow", "b", 17, 18));
        assertThat(a.deadlineMisses()).isZero();
        assertThat(b.deadlineMisses()).isZero();
        assertThat(a.jobsCompleted()).isEqualTo(4);
        assertThat(b.jobsCompleted()).isEqualTo(2);
    }

    @Test
    void aHogInItsOwnVcpuIsContainedByItsBudget() {
        Machine m = new Machine(1, 1, 1_000_000);
        Recorder rec = new Recorder();
        Kernel k = new Kernel("", m, List.of(0), new KernelParams(1000, 32, OverheadModel.NONE, true), rec);
        Vcpu hogV = k.createMainVcpu("hog", 5, 10, 0);
        Vcpu ctl = k.createMainVcpu("ctl", 3, 20, 0);
        k.createThread("hog", hogV, new CpuHog(), new SplittableRandom(1));
        KThread c = k.createThread("c", ctl, new Periodic(20, 20, ExecDistribution.constant(3), 0), new SplittableRandom(2));
        k.start();
        m.queue().runUntil(1000);
        k.finish();
        assertThat(c.deadlineMisses()).isZero();
        assertThat(hogV.consumedCycles()).isEqualTo(500);
        assertThat(hogV.maxWindowUsage()).isLessThanOrEqualTo(10);
    }
}
