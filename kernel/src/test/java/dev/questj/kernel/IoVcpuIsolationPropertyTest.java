package dev.questj.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.questj.kernel.IoSystemGen.DiskSpec;
import dev.questj.kernel.IoSystemGen.IoSystemSpec;
import dev.questj.kernel.IoSystemGen.IoTask;
import dev.questj.kernel.IoSystemGen.IoVcpuSpec;
import dev.questj.kernel.IoSystemGen.MainSpec;
import dev.questj.kernel.IoSystemGen.Mode;
import dev.questj.kernel.IoSystemGen.PeriodicTask;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

/**
 * Temporal isolation with I/O VCPUs: section 4's promise to Main VCPUs whatever the interrupt load,
 * and section 1's scheduling rule with I/O VCPUs whose priorities change as they inherit periods.
 */
class IoVcpuIsolationPropertyTest {

    /**
     * Admitted, and every driver's top half free: the kernel charges a top half to whichever VCPU runs
     * next (Main VCPUs included), which section 4's analysis does not account for.
     */
    @Provide
    Arbitrary<IoSystemSpec> admittedSystem() {
        return IoSystemGen.systems(Mode.ADMITTED, false);
    }

    @Provide
    Arbitrary<IoSystemSpec> admittedSporadicSystem() {
        return IoSystemGen.systems(Mode.SPORADIC, false);
    }

    @Provide
    Arbitrary<IoSystemSpec> clampAdversary() {
        return IoSystemGen.clampAdversary();
    }

    @Provide
    Arbitrary<IoSystemSpec> anySystem() {
        return IoSystemGen.systems(Mode.ANY, true);
    }

    // ---- 3. Main VCPUs keep their guarantees ----

    /**
     * On admitted systems (PIBS I/O VCPUs), every periodic thread of a Main VCPU that does not itself
     * wait for I/O (period = the VCPU's, execution at most its budget, deadline = period) meets every
     * deadline, whatever the devices do: NIC floods of 10-100 times their I/O VCPU's bandwidth
     * included (drawn in about half the systems, see the statistics), requesters and interrupts on
     * other PCPUs. Jobs still open at the end count as missed once their deadline passed.
     */
    @Property(tries = 200, edgeCases = EdgeCasesMode.NONE)
    void periodicThreadsOfMainVcpusMissNoDeadlineWhateverTheInterruptLoad(@ForAll("admittedSystem") IoSystemSpec spec) {
        checkNoMisses(spec, true);
    }

    /**
     * The same on admitted systems built to need section 3's clamp ({@link IoSystemGen#clampAdversary()}):
     * an I/O VCPU granted a large budget at a long inherited period, then raised above every Main
     * VCPU by a short-period requester's interrupt, may spend only the short period's Cmax there.
     */
    @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
    void periodicThreadsMissNoDeadlineWhenAnIoVcpuIsRaisedHoldingALongPeriodsBudget(@ForAll("clampAdversary") IoSystemSpec spec) {
        checkNoMisses(spec, false);
    }

    /** The same with the I/O VCPUs as sporadic servers (C = floor(U T), admitted as rate-monotonic VCPUs). */
    @Property(tries = 150, edgeCases = EdgeCasesMode.NONE)
    void withSporadicServerIoVcpusPeriodicThreadsMissNoDeadline(@ForAll("admittedSporadicSystem") IoSystemSpec spec) {
        checkNoMisses(spec, true);
    }

    private static void checkNoMisses(IoSystemSpec spec, boolean floodCoverage) {
        assertThat(spec.admitted()).as("generator: every PCPU passes admission").isTrue();
        assertThat(spec.zeroTopHalves()).as("generator: free top halves").isTrue();
        if (floodCoverage) {
            Statistics.label("flood").collect(spec.hasFlood());
            Statistics.label("flood").coverage(c -> c.check(true).percentage(p -> p >= 25));
        }
        IoSimRun run = IoSimRun.run(spec);
        List<String> misses = new ArrayList<>();
        for (int i = 0; i < spec.mains().size(); i++) {
            MainSpec m = spec.mains().get(i);
            KThread t = run.threads.get(i);
            if (m.task() instanceof PeriodicTask && t.deadlineMisses() > 0) {
                misses.add(String.format("%s (C %d, T %d, %s): %d of %d jobs missed, max response %d", t, m.budget(), m.period(), m.task(),
                        t.deadlineMisses(), t.jobsReleased(), t.maxResponseTime()));
            }
            if (m.task() instanceof PeriodicTask) {
                assertThat(t.jobsReleased()).as("%s released jobs", t).isPositive();
            }
        }
        if (!misses.isEmpty()) {
            fail("admitted system, yet deadline misses: %s", misses);
        }
    }

    // ---- 6. the scheduler's invariant with changing priorities ----

    /** Rate-monotonic order by the current periods: shorter period, then earlier creation. */
    static boolean outranks(Vcpu a, Vcpu b) {
        long pa = a.server().period();
        long pb = b.server().period();
        return pa != pb ? pa < pb : a.index() < b.index();
    }

    /**
     * The earliest instant at or after {@code now} at which {@code v} has budget, as its server's
     * state says: a Main VCPU (or SS I/O VCPU) once its head replenishment is released with capacity
     * left, a PIBS I/O VCPU at once if it holds budget, else when its pending replenishment is due.
     */
    static long budgetFrom(Vcpu v, long now) {
        return switch (v.server()) {
            case SporadicServer ss -> {
                long at = Math.max(now, ss.replenishments().headTime());
                yield ss.capacityAt(at) > 0 ? at : Long.MAX_VALUE;
            }
            case PibsServer pibs -> {
                if (pibs.budget() > 0) {
                    yield now;
                }
                yield pibs.hasReplenishment() && pibs.replenishmentAmount() > 0 ? Math.max(now, pibs.replenishmentTime()) : Long.MAX_VALUE;
            }
            default -> throw new IllegalStateException("unknown server " + v.server());
        };
    }

    /**
     * On any system (overloaded ones included, top halves with costs), with the kernel's own check
     * after every pass on (it throws), and independently at every settled instant: on each PCPU, no
     * VCPU (Main or I/O) runs, and the PCPU does not idle, while a VCPU that outranks it by the
     * current periods is runnable and has budget before the next event. I/O VCPUs change rank when
     * they inherit a period, so this also checks that a rise in priority takes effect.
     *
     * <p>Fixed kernel bug, found by this property: when an interrupt makes a runnable I/O VCPU that is not
     * running inherit a shorter period ({@code IoSystem.enqueue}: {@code onInterrupt} returns true),
     * the kernel re-ranks the PCPU's VCPUs but requests no scheduling pass (its bottom half is not
     * blocked, so no wake-up follows either), and the VCPU it now outranks runs on until the next
     * pass; a replenishment due to the raised VCPU is missed the same way, as the timer was armed
     * for the old ranks. The kernel's own check runs only at the end of a pass, so it never sees it.
     * Smallest case (shrunk by jqwik, seed -74567018415327977), see
     * {@link #aRunnableIoVcpuWhosePriorityRisesPreemptsAtOnce()}: at 2 PCPU 0 runs io0 (T 50), but
     * io1 (T 20 since the interrupt at 2) is runnable with budget 1; it runs only at 3.
     */
    @Property(tries = 100, edgeCases = EdgeCasesMode.NONE)
    void noVcpuRunsWhileAHigherPriorityVcpuHasBudgetAndWork(@ForAll("anySystem") IoSystemSpec spec) {
        IoSimRun.run(spec, IoSimRun.NO_STEP_CHECK, (run, now, until) -> checkPriorities(run, now, until, null));
    }

    /**
     * The same, minus the known bug above: a VCPU is exempt from the check between the moment its
     * period dropped while it was already runnable (an inheritance that raised its priority with no
     * wake-up to trigger a pass) and its PCPU's next scheduling pass. Everything else is still
     * checked: a VCPU woken with a raised priority, and a VCPU that outranked the running one and
     * got budget later (a replenishment the timer must catch).
     */
    @Property(tries = 200, edgeCases = EdgeCasesMode.NONE)
    void noVcpuRunsWhileAHigherPriorityVcpuHasBudgetAndWorkExceptAfterARiseWithoutAPass(@ForAll("anySystem") IoSystemSpec spec) {
        Map<Integer, Long> passes = new HashMap<>();
        Map<Vcpu, Long> lastPeriod = new IdentityHashMap<>();
        Map<Vcpu, Boolean> lastRunnable = new IdentityHashMap<>();
        Set<Vcpu> raisedWithoutPass = Collections.newSetFromMap(new IdentityHashMap<>());
        IoSimRun.run(spec, (run, now) -> {
            for (int p : run.kernel.pcpus()) {
                long n = run.kernel.schedulingPasses(p);
                if (!Long.valueOf(n).equals(passes.put(p, n))) {
                    run.kernel.vcpusOn(p).forEach(raisedWithoutPass::remove);
                }
            }
            for (Vcpu v : run.ioVcpus) {
                long period = v.server().period();
                if (lastRunnable.getOrDefault(v, false) && period < lastPeriod.getOrDefault(v, Long.MAX_VALUE)) {
                    raisedWithoutPass.add(v);
                }
                lastPeriod.put(v, period);
                lastRunnable.put(v, v.isRunnable());
            }
        }, (run, now, until) -> checkPriorities(run, now, until, raisedWithoutPass));
    }

    /** The smallest case of the bug above, by hand: io1 inherits T 20 at 2 while io0 (T 50) runs. */
    @Test
    void aRunnableIoVcpuWhosePriorityRisesPreemptsAtOnce() {
        IoSystemSpec spec = new IoSystemSpec(Mode.ANY, 1, List.of(true),
                List.of(new IoVcpuSpec("io0@p0", 0, 5, 20), new IoVcpuSpec("io1@p0", 0, 5, 20)),
                List.of(new MainSpec("p0m0", 0, 1, 20, new PeriodicTask(1, true, 0, 0)),
                        new MainSpec("p0c0", 0, 1, 50, new IoTask(0, "write", 1, 1, 0, -1, 0)),
                        new MainSpec("p0c1", 0, 1, 20, new IoTask(1, "read", 2, 1, 0, 1, 0)),
                        new MainSpec("p0c2", 0, 1, 50, new IoTask(2, "write", 1, 1, 0, -1, 0))),
                List.of(new DiskSpec("dev0", 0, 0, new IoSystem.DriverCost(0, 0, 2), 0, 1_000_000),
                        new DiskSpec("dev1", 0, 0, new IoSystem.DriverCost(0, 0, 0), 0, 1_000_000),
                        new DiskSpec("dev2", 0, 1, new IoSystem.DriverCost(0, 0, 0), 0, 1_000_000)),
                30);
        // At 1 the three threads' requests complete: io0 serves p0c0 (T 50, 2 cycles of bottom half),
        // io1 serves p0c2 (T 50) and waits, as io0 wins the tie. At 2 p0c1's request (T 20, served
        // by io1, its task I/O VCPU) completes: io1 inherits T 20 and must preempt io0 at once.
        IoSimRun run = IoSimRun.run(spec);
        Vcpu io1 = run.ioVcpus.get(1);
        assertThat(run.sink.of(io1).getFirst().start()).as("io1 runs from the interrupt that raised its priority").isEqualTo(2);
    }

    /** {@code exempt}: VCPUs not checked (null: none). */
    static void checkPriorities(IoSimRun run, long now, long until, Set<Vcpu> exempt) {
        Kernel k = run.kernel;
        for (int p : k.pcpus()) {
            Vcpu cur = k.running(p);
            if (cur != null && (!cur.isRunnable() || cur.pcpuId() != p)) {
                fail("at %d PCPU %d runs %s, which is %s", now, p, cur, cur.isRunnable() ? "bound to PCPU " + cur.pcpuId() : "not runnable");
            }
            for (Vcpu v : k.vcpusOn(p)) {
                if (v == cur || !v.isRunnable() || (cur != null && !outranks(v, cur))) {
                    continue;
                }
                if (exempt != null && exempt.contains(v)) {
                    continue; // the known bug
                }
                long at = budgetFrom(v, now);
                if (at < until) {
                    fail("at %d PCPU %d %s, but %s (%s, T %d) is runnable with budget from %d: %s", now, p,
                            cur == null ? "idles" : "runs " + cur + " (T " + cur.server().period() + ")",
                            v, v.kind().label(), v.server().period(), at, v.server());
                }
            }
        }
    }
}
