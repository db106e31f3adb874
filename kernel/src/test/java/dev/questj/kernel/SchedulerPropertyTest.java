package dev.questj.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.questj.kernel.RecordingSink.Slice;
import dev.questj.kernel.SystemGen.SystemSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The per-PCPU scheduler (QUEST-ALGORITHMS.md section 1) on random systems, admitted or overloaded:
 * static rate-monotonic priority among VCPUs with budget, and a consistent record of what ran.
 */
class SchedulerPropertyTest {

    @Provide
    Arbitrary<SystemSpec> anySystem() {
        return SystemGen.systems(false);
    }

    /** Rate-monotonic order, computed here from the configuration: shorter period, then earlier creation. */
    static boolean outranks(Vcpu a, Vcpu b) {
        long pa = a.server().period();
        long pb = b.server().period();
        return pa != pb ? pa < pb : a.index() < b.index();
    }

    // ---- 5. priority ----

    /**
     * On each PCPU no VCPU runs (and the PCPU does not idle) while a higher-priority VCPU has a
     * runnable thread and budget. Checked at every settled instant (all events of the instant fired)
     * over the whole interval to the next event: a higher-priority runnable VCPU whose head entry is
     * released before the next event with capacity left (head amount - usage > 0) is a violation at
     * the instant it is released, which also catches a replenishment the scheduler forgot to set its
     * timer for. The running VCPU must itself be runnable and bound to that PCPU.
     *
     * <p>Then, from the recorded output: which VCPU ran on each PCPU between settled instants, merged,
     * must be exactly the recorded slices merged by VCPU, so the checked state is what was recorded.
     */
    @Property(tries = 120)
    void noVcpuRunsWhileAHigherPriorityVcpuHasBudgetAndWork(@ForAll("anySystem") SystemSpec spec) {
        SimRun run = SimRun.run(spec, SimRun.NO_STEP_CHECK, SchedulerPropertyTest::checkPriorities);
        for (int p : run.kernel().pcpus()) {
            List<List<Object>> sampled = new ArrayList<>();
            for (SimRun.Sample s : run.samples) {
                if (s.pcpu() == p && s.running() != null) {
                    append(sampled, s.running(), s.from(), s.to());
                }
            }
            List<List<Object>> recorded = new ArrayList<>();
            for (Slice s : run.sink.onPcpu(p)) {
                append(recorded, s.vcpu(), s.start(), s.end());
            }
            assertThat(recorded).as("PCPU %d: recorded slices vs the running VCPU between settled instants", p).isEqualTo(sampled);
        }
    }

    /** Appends [from, to) of v as (v, from, to), merging with the previous entry if contiguous and the same VCPU. */
    private static void append(List<List<Object>> runs, Vcpu v, long from, long to) {
        if (!runs.isEmpty()) {
            List<Object> last = runs.getLast();
            if (last.get(0) == v && (long) last.get(2) == from) {
                runs.set(runs.size() - 1, List.of(v, last.get(1), to));
                return;
            }
        }
        runs.add(List.of(v, from, to));
    }

    static void checkPriorities(SimRun run, long now, long until) {
        Kernel k = run.kernel();
        for (int p : k.pcpus()) {
            Vcpu cur = k.running(p);
            if (cur != null && (!cur.isRunnable() || cur.pcpuId() != p)) {
                fail("at %d PCPU %d runs %s, which is %s", now, p, cur, cur.isRunnable() ? "bound to PCPU " + cur.pcpuId() : "not runnable");
            }
            for (Vcpu v : k.vcpusOn(p)) {
                if (v == cur || !v.isRunnable() || (cur != null && !outranks(v, cur))) {
                    continue;
                }
                SporadicServer ss = SimRun.server(v);
                long at = Math.max(now, ss.replenishments().headTime());
                if (at < until && ss.capacityAt(at) > 0) {
                    fail("at %d PCPU %d %s, but %s (T %d) is runnable with budget %d from %d (state %s)", now, p,
                            cur == null ? "idles" : "runs " + cur + " (T " + cur.server().period() + ")",
                            v, v.server().period(), ss.capacityAt(at), at, ss);
                }
            }
        }
    }

    // ---- round robin inside a VCPU ----

    /**
     * Threads of one VCPU share it round robin with a quantum q measured in the VCPU's own virtual
     * time (section 1). The VCPU's slices, read in order and ignoring the wall-clock gaps between them
     * (other VCPUs running, budget exhausted), form segments: maximal runs of one thread X. For each:
     * <ul>
     *   <li>from the first instant r in the segment at which another thread of the VCPU is READY, X
     *       runs at most q more cycles (its quantum is at most q when the other arrives, and it is
     *       then rotated to the back when the quantum ends);</li>
     *   <li>a segment that starts while another thread is READY (X got the VCPU with a fresh quantum)
     *       and ends with another thread of the VCPU next while X is still READY (it was rotated, not
     *       blocked) lasts exactly q cycles of the VCPU's time, however much wall time it spans; a
     *       quantum counted in wall time fails here.</li>
     * </ul>
     */
    @Property(tries = 120)
    void threadsOfAVcpuShareItRoundRobinWithTheQuantumInTheVcpusVirtualTime(@ForAll("anySystem") SystemSpec spec) {
        SimRun run = SimRun.run(spec);
        long q = spec.quantum();
        for (Vcpu v : run.vcpus()) {
            List<KThread> mates = run.built.threads().stream().filter(t -> t.vcpu() == v).toList();
            if (mates.size() < 2) {
                continue;
            }
            List<Slice> slices = run.sink.of(v);
            for (int i = 0, j; i < slices.size(); i = j) {
                KThread x = slices.get(i).thread();
                j = i;
                while (j < slices.size() && slices.get(j).thread() == x) {
                    j++;
                }
                List<Slice> segment = slices.subList(i, j);
                long wallStart = segment.getFirst().start();
                long wallEnd = segment.getLast().end();
                long r = Long.MAX_VALUE;
                boolean otherReadyAtStart = false;
                for (KThread y : mates) {
                    if (y != x) {
                        r = Math.min(r, run.firstReadyIn(y, wallStart, wallEnd));
                        otherReadyAtStart |= run.readyAt(y, wallStart);
                    }
                }
                long afterR = 0;
                long length = 0;
                for (Slice s : segment) {
                    afterR += Math.max(0, s.end() - Math.max(s.start(), r));
                    length += s.length();
                }
                if (afterR > q) {
                    fail("%s: %s ran %d cycles (quantum %d) after another thread of its VCPU was READY at %d, in %s",
                            v, x, afterR, q, r, segment);
                }
                boolean rotated = j < slices.size() && run.readyAt(x, wallEnd);
                if (otherReadyAtStart && rotated && length != q) {
                    fail("%s: %s ran %d cycles of its VCPU's time (quantum %d) before being rotated, in %s", v, x, length, q, segment);
                }
            }
        }
    }

    // ---- 6. the record ----

    /**
     * Slices on a PCPU are in time order and never overlap; each has start < end and lies in
     * [0, horizon]; each belongs to a thread of its VCPU, and that VCPU is bound to the PCPU. The
     * slices of a VCPU sum to {@link Vcpu#consumedCycles()}, and (no overheads configured) the slices
     * of a thread sum to the CPU time it got, {@link KThread#cpuCycles()}.
     */
    @Property(tries = 120)
    void slicesOnACoreAreOrderedDisjointAndAddUpToConsumedCycles(@ForAll("anySystem") SystemSpec spec) {
        SimRun run = SimRun.run(spec);
        for (int p : run.kernel().pcpus()) {
            long lastEnd = 0;
            for (Slice s : run.sink.onPcpu(p)) {
                assertThat(s.start()).as("%s: start < end", s).isLessThan(s.end());
                assertThat(s.start()).as("%s: starts before the previous slice on PCPU %d ended (%d)", s, p, lastEnd).isGreaterThanOrEqualTo(lastEnd);
                assertThat(s.end()).as("%s: ends after the horizon", s).isLessThanOrEqualTo(spec.horizon());
                assertThat(s.thread().vcpu()).as("%s: thread of another VCPU", s).isSameAs(s.vcpu());
                assertThat(s.vcpu().pcpuId()).as("%s: VCPU bound elsewhere", s).isEqualTo(p);
                lastEnd = s.end();
            }
        }
        Map<Vcpu, Long> perVcpu = new HashMap<>();
        Map<KThread, Long> perThread = new HashMap<>();
        for (Slice s : run.sink.slices) {
            perVcpu.merge(s.vcpu(), s.length(), Long::sum);
            perThread.merge(s.thread(), s.length(), Long::sum);
        }
        for (Vcpu v : run.vcpus()) {
            assertThat(perVcpu.getOrDefault(v, 0L)).as("%s: slices vs consumedCycles", v).isEqualTo(v.consumedCycles());
        }
        for (KThread t : run.built.threads()) {
            assertThat(perThread.getOrDefault(t, 0L)).as("%s: slices vs cpuCycles", t).isEqualTo(t.cpuCycles());
        }
    }
}
