package dev.questj.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.questj.guest.CpuHog;
import dev.questj.guest.ExecDistribution;
import dev.questj.guest.Guest;
import dev.questj.guest.GuestContext;
import dev.questj.guest.Periodic;
import dev.questj.machine.Machine;
import dev.questj.sim.Event;
import dev.questj.sim.Priority;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Hand-worked schedules that show what the properties generalise. Slices are "thread [start, end)". */
class SchedulerExamplesTest {

    private static List<String> slices(RecordingSink sink, int pcpu) {
        return sink.onPcpu(pcpu).stream().map(s -> s.thread() + " [" + s.start() + ", " + s.end() + ")").toList();
    }

    private static Kernel kernel(Machine m, RecordingSink sink, long quantum, OverheadModel overheads, Integer... pcpus) {
        return new Kernel("", m, List.of(pcpus), new KernelParams(quantum, 32, overheads, true), sink);
    }

    /**
     * lo (5, 20) runs a hog; hi (2, 10) releases a 2-cycle job at 3, 13, 23. Each release preempts lo
     * at once; lo's budget (5) is spent at 7 and comes back at 20 (one period after it became
     * available at 0).
     */
    @Test
    void aHigherPriorityVcpuWakingPreemptsALowerOneImmediately() {
        Machine m = new Machine(1, 1, 1_000_000);
        RecordingSink sink = new RecordingSink();
        Kernel k = kernel(m, sink, 1_000, OverheadModel.NONE, 0);
        Vcpu lo = k.createMainVcpu("lo", 5, 20, 0);
        Vcpu hi = k.createMainVcpu("hi", 2, 10, 0);
        k.createThread("hog", lo, new CpuHog(), new SplittableRandom(1));
        k.createThread("job", hi, new Periodic(10, 10, ExecDistribution.constant(2), 3), new SplittableRandom(2));
        k.start();
        m.queue().runUntil(30);
        k.finish();
        assertThat(slices(sink, 0)).containsExactly(
                "hog [0, 3)", "job [3, 5)", "hog [5, 7)",
                "job [13, 15)",
                "hog [20, 23)", "job [23, 25)", "hog [25, 27)");
    }

    /**
     * hi (2, 10) and lo (10, 20) both run hogs. hi spends its 2 cycles and waits for its replenishment
     * at 10, so lo runs from 2 until then; at 10 hi preempts it again; lo's 10 cycles are used up at
     * 14 and return at 20, after which the pattern repeats.
     */
    @Test
    void anExhaustedHigherPriorityVcpuLetsALowerOneRunUntilItsReplenishment() {
        Machine m = new Machine(1, 1, 1_000_000);
        RecordingSink sink = new RecordingSink();
        Kernel k = kernel(m, sink, 1_000, OverheadModel.NONE, 0);
        Vcpu hi = k.createMainVcpu("hi", 2, 10, 0);
        Vcpu lo = k.createMainVcpu("lo", 10, 20, 0);
        k.createThread("h", hi, new CpuHog(), new SplittableRandom(1));
        k.createThread("l", lo, new CpuHog(), new SplittableRandom(2));
        k.start();
        m.queue().runUntil(40);
        k.finish();
        assertThat(slices(sink, 0)).containsExactly(
                "h [0, 2)", "l [2, 10)", "h [10, 12)", "l [12, 14)",
                "h [20, 22)", "l [22, 30)", "h [30, 32)", "l [32, 34)");
    }

    /**
     * Why the window bound is C * (ceil(L / T) + 1) and not "C per sliding window of T". H (8, 10),
     * created first so it wins the tie, runs one 8-cycle job at 0; L (2, 10) runs a hog. L's first
     * chunk (available at 0) only gets the core at [8, 10); it is re-posted at 10, where L runs again:
     * 4 = 2C cycles in the window [8, 12), legal for a sporadic server just as for a periodic task
     * preempted late in one period and run early in the next.
     */
    @Test
    void aVcpuMayRunTwiceItsBudgetInOneWindowOfItsPeriod() {
        Machine m = new Machine(1, 1, 1_000_000);
        RecordingSink sink = new RecordingSink();
        Kernel k = kernel(m, sink, 1_000, OverheadModel.NONE, 0);
        Vcpu h = k.createMainVcpu("H", 8, 10, 0);
        Vcpu l = k.createMainVcpu("L", 2, 10, 0);
        k.createThread("job", h, new Periodic(40, 40, ExecDistribution.constant(8), 0), new SplittableRandom(1));
        k.createThread("hog", l, new CpuHog(), new SplittableRandom(2));
        k.start();
        m.queue().runUntil(30);
        k.finish();
        assertThat(slices(sink, 0)).containsExactly("job [0, 8)", "hog [8, 12)", "hog [20, 22)");
        assertThat(l.maxWindowUsage()).isEqualTo(4);
    }

    /**
     * The quantum is measured in the VCPU's own time. H (1, 5) preempts L (3, 5) every period; L runs
     * two hogs x and y with a quantum of 2. y gets 1 cycle at [3, 4) before L's budget runs out, and
     * the other cycle of its quantum at [6, 7) after L's replenishment, even though 3 cycles of wall
     * time passed in between.
     */
    @Test
    void threadsOfOneVcpuShareItRoundRobinWithTheQuantumInTheVcpusVirtualTime() {
        Machine m = new Machine(1, 1, 1_000_000);
        RecordingSink sink = new RecordingSink();
        Kernel k = kernel(m, sink, 2, OverheadModel.NONE, 0);
        Vcpu h = k.createMainVcpu("H", 1, 5, 0);
        Vcpu l = k.createMainVcpu("L", 3, 5, 0);
        k.createThread("h", h, new CpuHog(), new SplittableRandom(1));
        k.createThread("x", l, new CpuHog(), new SplittableRandom(2));
        k.createThread("y", l, new CpuHog(), new SplittableRandom(3));
        k.start();
        m.queue().runUntil(20);
        k.finish();
        assertThat(slices(sink, 0)).containsExactly(
                "h [0, 1)", "x [1, 3)", "y [3, 4)",
                "h [5, 6)", "y [6, 7)", "x [7, 9)",
                "h [10, 11)", "y [11, 13)", "x [13, 14)",
                "h [15, 16)", "x [16, 17)", "y [17, 19)");
    }

    /** Sleeps until woken from outside; then computes {@code work} cycles and sleeps again. */
    private static final class OnDemand implements Guest {
        private final long work;
        private boolean computeNext;

        OnDemand(long work) {
            this.work = work;
        }

        @Override
        public void next(GuestContext ctx) {
            if (computeNext) {
                ctx.compute(work);
            } else {
                ctx.sleepUntil(Long.MAX_VALUE);
            }
            computeNext = !computeNext;
        }
    }

    /**
     * A thread on PCPU 1 woken at 10 by code on PCPU 0 (Kernel.wakeFrom) is reached by an IPI, which
     * arrives ipi = 5 cycles later: it starts at 15. The same wake-up from its own PCPU needs no IPI
     * and starts at once.
     */
    @Test
    void aWakeUpFromAnotherPcpuGoesThroughAnIpiAndArrivesIpiCyclesLater() {
        Machine m = new Machine(2, 1, 1_000_000);
        RecordingSink sink = new RecordingSink();
        Kernel k = kernel(m, sink, 1_000, new OverheadModel(0, 0, 0, 5), 0, 1);
        Vcpu v = k.createMainVcpu("v", 20, 50, 1);
        KThread t = k.createThread("t", v, new OnDemand(3), new SplittableRandom(1));
        k.start();
        m.queue().schedule(Event.of(Priority.CONTROL, now -> k.wakeFrom(t, 0)), 10);
        m.queue().schedule(Event.of(Priority.CONTROL, now -> k.wakeFrom(t, 1)), 60);
        m.queue().runUntil(100);
        k.finish();
        List<RecordingSink.Slice> s = sink.onPcpu(1);
        assertThat(s).hasSize(2);
        assertThat(s.get(0).start()).as("cross-PCPU wake-up arrives with the IPI").isEqualTo(15);
        assertThat(s.get(1).start()).as("same-PCPU wake-up needs no IPI").isEqualTo(60);
        assertThat(m.pcpu(1).ipisReceived()).isEqualTo(1);
        assertThat(m.pcpu(0).ipisReceived()).isZero();
        assertThat(sink.onPcpu(0)).isEmpty();
    }

    /**
     * The IPI's handling cost is core time spent before the woken thread makes progress
     * (OverheadModel: "charged as the core's time before the chosen thread makes progress, and to the
     * budget of the VCPU that runs next"). PCPU 1 idles from 0; the IPI arrives at 15 and is handled
     * in [15, 20); the thread's 3 cycles run in [20, 23); its VCPU is charged 8.
     */
    @Test
    void anIpiThatWakesAnIdleCoreCostsItsHandlingTimeBeforeTheThreadRuns() {
        Machine m = new Machine(2, 1, 1_000_000);
        RecordingSink sink = new RecordingSink();
        Kernel k = kernel(m, sink, 1_000, new OverheadModel(0, 0, 0, 5), 0, 1);
        Vcpu v = k.createMainVcpu("v", 20, 50, 1);
        KThread t = k.createThread("t", v, new OnDemand(3), new SplittableRandom(1));
        k.start();
        m.queue().schedule(Event.of(Priority.CONTROL, now -> k.wakeFrom(t, 0)), 10);
        m.queue().runUntil(100);
        k.finish();
        assertThat(slices(sink, 1)).containsExactly("t [15, 23)");
        assertThat(v.consumedCycles()).isEqualTo(8);
        assertThat(t.cpuCycles()).isEqualTo(3);
    }
}
