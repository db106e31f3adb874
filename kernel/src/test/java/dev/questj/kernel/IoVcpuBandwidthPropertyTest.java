package dev.questj.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.questj.kernel.IoSystemGen.IoSystemSpec;
import dev.questj.kernel.IoSystemGen.IoVcpuSpec;
import dev.questj.kernel.IoSystemGen.Mode;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * How much an I/O VCPU runs (QUEST-ALGORITHMS.md section 3), by brute force over the recorded slices
 * of random systems with devices, floods included ({@link IoSystemGen}). All comparisons are exact,
 * in integers: U = percent / 100, so "used <= U L + k Cmax" is checked as 100 used <= percent L + 100 k Cmax.
 */
class IoVcpuBandwidthPropertyTest {

    @Provide
    Arbitrary<IoSystemSpec> admittedSystem() {
        return IoSystemGen.systems(Mode.ADMITTED, true);
    }

    @Provide
    Arbitrary<IoSystemSpec> anySystem() {
        return IoSystemGen.systems(Mode.ANY, true);
    }

    @Provide
    Arbitrary<IoSystemSpec> sporadicSystem() {
        return IoSystemGen.systems(Mode.SPORADIC, true);
    }

    /** Window lengths to check for a longest inherited period (or server period) t: t, 2t, 3.5t, a random share of t, and the whole run. */
    static long[] lengths(long t, int randomPercent, long horizon) {
        return new long[] {t, 2 * t, 7 * t / 2, Math.max(1, t * randomPercent / 100), horizon};
    }

    // ---- 1. the window bound, admitted systems ----

    /**
     * On admitted systems, in every window of length L an I/O VCPU runs at most U L + 2 Cmax, Cmax =
     * floor(Tmax U) and Tmax its longest inherited period ({@link PibsServer#longestPeriod()}), for
     * L = Tmax, 2 Tmax, 3.5 Tmax, a random 1-500% of Tmax and the whole run. The maximum over windows
     * of length L is attained at a window starting at a slice start or ending at a slice end, and
     * {@link Timeline#maxWindow} tries exactly those. An I/O VCPU that never inherited a period never ran.
     */
    @Property(tries = 200, edgeCases = EdgeCasesMode.NONE)
    void onAdmittedSystemsAnIoVcpuRunsAtMostULPlusTwoCmaxInAnyWindow(@ForAll("admittedSystem") IoSystemSpec spec,
            @ForAll @IntRange(min = 1, max = 500) int randomPercent) {
        assertThat(spec.admitted()).as("generator: every PCPU passes admission").isTrue();
        IoSimRun run = IoSimRun.run(spec);
        for (int j = 0; j < run.ioVcpus.size(); j++) {
            Vcpu v = run.ioVcpus.get(j);
            int percent = spec.ioVcpus().get(j).percent();
            long tmax = ((PibsServer) v.server()).longestPeriod();
            Timeline exec = run.timeline(v);
            if (tmax == 0) {
                assertThat(exec.total()).as("%s inherited no period but ran", v).isZero();
                continue;
            }
            long cmax = tmax * percent / 100;
            for (long length : lengths(tmax, randomPercent, spec.horizon())) {
                long max = exec.maxWindow(length);
                if (100 * max > percent * length + 200 * cmax) {
                    long at = exec.argMaxWindow(length);
                    fail("%s (U %d%%, Tmax %d, Cmax %d) ran %d in [%d, %d) (L %d): more than U L + 2 Cmax = %.1f",
                            v, percent, tmax, cmax, max, at, at + length, length, (percent * length + 200.0 * cmax) / 100);
                }
            }
        }
    }

    // ---- 2. the prefix bound, any system ----

    /**
     * On any system, admitted or overloaded, in every prefix [0, y) an I/O VCPU runs at most U y +
     * Cmax(Tmax(y)), where Tmax(y) is the longest period it had inherited before y (the bound with the
     * final Tmax is weaker). The excess of usage over U y is largest at the end of a slice, so every
     * slice end is tried.
     */
    @Property(tries = 200, edgeCases = EdgeCasesMode.NONE)
    void onAnySystemAnIoVcpuRunsAtMostUYPlusCmaxInEveryPrefix(@ForAll("anySystem") IoSystemSpec spec) {
        Statistics.label("admitted").collect(spec.admitted());
        Statistics.label("admitted").coverage(c -> c.check(false).percentage(p -> p >= 30));
        // the longest inherited period of each I/O VCPU, as it grows: (time, Tmax) after the events of that time
        Map<Vcpu, List<long[]>> tmaxHistory = new IdentityHashMap<>();
        IoSimRun run = IoSimRun.run(spec, (r, now) -> {
            for (Vcpu v : r.ioVcpus) {
                long t = ((PibsServer) v.server()).longestPeriod();
                List<long[]> h = tmaxHistory.computeIfAbsent(v, x -> new ArrayList<>());
                if (h.isEmpty() || h.getLast()[1] != t) {
                    h.add(new long[] {now, t});
                }
            }
        }, IoSimRun.NO_SETTLED_CHECK);
        for (int j = 0; j < run.ioVcpus.size(); j++) {
            Vcpu v = run.ioVcpus.get(j);
            IoVcpuSpec s = spec.ioVcpus().get(j);
            Timeline exec = run.timeline(v);
            List<long[]> history = tmaxHistory.getOrDefault(v, List.of());
            for (int i = 0; i < exec.size(); i++) {
                long y = exec.end(i);
                long tmax = 0;
                for (long[] h : history) {
                    if (h[0] < y) {
                        tmax = h[1];
                    }
                }
                long cmax = tmax * s.percent() / 100;
                long used = exec.before(y);
                if (100 * used > s.percent() * y + 100 * cmax) {
                    fail("%s (U %d%%, Tmax before %d: %d, Cmax %d) ran %d in [0, %d): more than U y + Cmax = %.1f (admitted: %s)",
                            v, s.percent(), y, tmax, cmax, used, y, (s.percent() * y + 100.0 * cmax) / 100, spec.admitted());
                }
            }
        }
    }

    // ---- the paper's alternative: I/O VCPUs as sporadic servers ----

    /**
     * With {@code asSporadicServer}, an I/O VCPU is a sporadic server of C = floor(U T) every T, and
     * on admitted systems it runs at most C (ceil(L / T) + 1) in any window of length L (section 2's
     * bound), for the same lengths as above with T its period; its period never changes.
     */
    @Property(tries = 150, edgeCases = EdgeCasesMode.NONE)
    void anIoVcpuAsSporadicServerRunsAtMostCTimesCeilLOverTPlusOne(@ForAll("sporadicSystem") IoSystemSpec spec,
            @ForAll @IntRange(min = 1, max = 500) int randomPercent) {
        assertThat(spec.admitted()).as("generator: every PCPU passes admission").isTrue();
        IoSimRun run = IoSimRun.run(spec);
        for (int j = 0; j < run.ioVcpus.size(); j++) {
            Vcpu v = run.ioVcpus.get(j);
            IoVcpuSpec s = spec.ioVcpus().get(j);
            SporadicServer ss = (SporadicServer) v.server();
            long c = s.ssBudget();
            long t = s.period();
            assertThat(ss.capacity()).as("%s: C = floor(U T)", v).isEqualTo(c);
            assertThat(ss.period()).as("%s: the period is fixed", v).isEqualTo(t);
            Timeline exec = run.timeline(v);
            for (long length : lengths(t, randomPercent, spec.horizon())) {
                long max = exec.maxWindow(length);
                long bound = c * (Math.ceilDiv(length, t) + 1);
                if (max > bound) {
                    long at = exec.argMaxWindow(length);
                    fail("%s (C %d, T %d) ran %d in [%d, %d) (L %d): more than C (ceil(L/T) + 1) = %d", v, c, t, max, at, at + length,
                            length, bound);
                }
            }
        }
    }
}
