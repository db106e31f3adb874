package dev.questj.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.questj.guest.ExecDistribution;
import dev.questj.guest.Periodic;
import dev.questj.machine.Machine;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Section 2: "With one periodic thread per VCPU whose period equals T and whose execution time is at
 * most C, the schedule is exactly that of plain rate-monotonic scheduling of the threads." And with
 * the set admitted (section 4), no deadline is missed.
 */
class RateMonotonicEquivalencePropertyTest {

    /** One VCPU (C, T) serving one periodic thread of period T, constant execution exec <= C, first release at offset. */
    record RmVcpu(long budget, long period, long exec, long offset) {}

    /** A PCPU's VCPUs in creation order, and how long to run. */
    record RmSystem(List<RmVcpu> vcpus, long horizon) {}

    /** Before budgets are set: period, load weight, execution as % of the budget, offset as % of the period. */
    record Draft(long period, int weight, int execPercent, int offsetPercent) {}

    @Provide
    Arbitrary<RmSystem> rmSystems() {
        Arbitrary<Long> periods = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.longs().between(3, 60)),
                Tuple.of(1, Arbitraries.of(10L, 20L, 30L)));
        Arbitrary<Integer> offsets = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(0)),
                Tuple.of(1, Arbitraries.integers().between(0, 99)));
        Arbitrary<Draft> draft = Combinators.combine(
                        periods, Arbitraries.integers().between(1, 10), Arbitraries.integers().between(1, 100), offsets)
                .as(Draft::new);
        return Combinators.combine(draft.list().ofMinSize(1).ofMaxSize(6), Arbitraries.integers().between(20, 100))
                .as(RateMonotonicEquivalencePropertyTest::toSystem);
    }

    /** Budgets from the load share (admitted, see {@link SystemGen#budgets}); horizon a few hyperperiods, 600..3000 cycles. */
    static RmSystem toSystem(List<Draft> drafts, int loadPercent) {
        List<SystemGen.VcpuDraft> vds = drafts.stream().map(d -> new SystemGen.VcpuDraft(d.period(), d.weight(), List.of())).toList();
        SystemGen.PcpuSpec pcpu = SystemGen.budgets(vds, loadPercent, true);
        List<RmVcpu> vs = new ArrayList<>();
        long hyper = 1;
        long maxOffset = 0;
        for (int i = 0; i < pcpu.vcpus().size(); i++) {
            SystemGen.VcpuSpec v = pcpu.vcpus().get(i);
            Draft d = drafts.get(i);
            long exec = Math.max(1, v.budget() * d.execPercent() / 100);
            long offset = v.period() * d.offsetPercent() / 100;
            vs.add(new RmVcpu(v.budget(), v.period(), exec, offset));
            hyper = Math.min(1_000_000, lcm(hyper, v.period()));
            maxOffset = Math.max(maxOffset, offset);
        }
        return new RmSystem(vs, Math.clamp(3 * hyper + maxOffset, 600, 3000));
    }

    private static long lcm(long a, long b) {
        long x = a;
        long y = b;
        while (y != 0) {
            long r = x % y;
            x = y;
            y = r;
        }
        return a / x * b;
    }

    /**
     * Runs the VCPUs on one PCPU, each with its periodic thread, and the reference RM simulator on the
     * threads alone: every thread ran in exactly the same intervals, nobody missed a deadline, and the
     * reference (as a sanity check of the admission bound) missed none either.
     */
    @Property(tries = 200)
    void oneRmThreadPerVcpuIsScheduledExactlyAsPlainRateMonotonic(@ForAll("rmSystems") RmSystem sys) {
        Machine m = new Machine(1, 1, 1_000_000);
        RecordingSink sink = new RecordingSink();
        Kernel k = new Kernel("", m, List.of(0), new KernelParams(1_000, 32, OverheadModel.NONE, true), sink);
        List<KThread> threads = new ArrayList<>();
        List<RmReference.Task> tasks = new ArrayList<>();
        long[][] budgets = new long[sys.vcpus().size()][];
        for (int i = 0; i < sys.vcpus().size(); i++) {
            RmVcpu v = sys.vcpus().get(i);
            Vcpu vcpu = k.createMainVcpu("v" + i, v.budget(), v.period(), 0);
            threads.add(k.createThread("t" + i, vcpu,
                    new Periodic(v.period(), v.period(), ExecDistribution.constant(v.exec()), v.offset()), new SplittableRandom(i)));
            tasks.add(new RmReference.Task(v.period(), v.exec(), v.offset()));
            budgets[i] = new long[] {v.budget(), v.period()};
        }
        assertThat(Admission.load(0, List.of(budgets)).admitted()).as("generator: the set passes admission").isTrue();
        k.start();
        m.queue().runUntil(sys.horizon());
        k.finish();

        RmReference.Result ref = RmReference.simulate(tasks, sys.horizon());
        for (int i = 0; i < threads.size(); i++) {
            KThread t = threads.get(i);
            assertThat(Timeline.ofSlices(sink.of(t)).intervals())
                    .as("thread %s of %s: kernel schedule vs plain RM", t, sys.vcpus().get(i))
                    .isEqualTo(ref.runs().get(i));
            assertThat(t.deadlineMisses()).as("thread %s: deadline misses", t).isZero();
            assertThat(ref.misses()[i]).as("reference task %d: deadline misses", i).isZero();
        }
    }
}
