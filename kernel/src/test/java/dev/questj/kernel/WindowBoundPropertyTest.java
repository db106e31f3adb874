package dev.questj.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.questj.kernel.SystemGen.SystemSpec;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * How much a Main VCPU can run in a window, and the online {@link WindowUsage} that measures it.
 *
 * <p>Section 2: a sporadic server does NOT promise "at most C in every sliding window of T" (like a
 * periodic task preempted late in one period and run early in the next, it may run 2C in some window
 * of T). What it promises, on a PCPU that passes admission (so the VCPU is not starved), is at most
 * C * (ceil(L / T) + 1) in any window of length L.
 */
class WindowBoundPropertyTest {

    @Provide
    Arbitrary<SystemSpec> admittedSystem() {
        return SystemGen.systems(true);
    }

    // ---- 4. the window bound, and WindowUsage against brute force ----

    /**
     * On admitted systems, for L = T, 2T, 3.5T and a random L (1% .. 500% of T, per draw): every Main
     * VCPU runs at most C * (ceil(L / T) + 1) in every window of length L, by brute force over the
     * recorded slices. And the kernel's own online measure {@link Vcpu#maxWindowUsage()} (window T)
     * equals the brute-force maximum over windows of length T.
     */
    @Property(tries = 120)
    void inAnyWindowOfLengthLAVcpuRunsAtMostCTimesCeilLOverTPlusOne(
            @ForAll("admittedSystem") SystemSpec spec, @ForAll @IntRange(min = 1, max = 500) int randomPercent) {
        SimRun run = SimRun.run(spec);
        for (Vcpu v : run.vcpus()) {
            long c = SimRun.server(v).capacity();
            long t = v.server().period();
            Timeline exec = run.timeline(v);
            for (long length : new long[] {t, 2 * t, 7 * t / 2, Math.max(1, t * randomPercent / 100)}) {
                long periods = (length + t - 1) / t; // ceil(L / T)
                long max = exec.maxWindow(length);
                assertThat(max)
                        .as("%s (C %d, T %d): ran %d in the window [%d, %d) of length %d", v, c, t, max,
                                exec.argMaxWindow(length), exec.argMaxWindow(length) + length, length)
                        .isLessThanOrEqualTo(c * (periods + 1));
            }
            assertThat(v.maxWindowUsage())
                    .as("%s: WindowUsage max over windows of T = %d vs brute force", v, t)
                    .isEqualTo(exec.maxWindow(t));
        }
    }

    // ---- 8. WindowUsage alone ----

    /** Random slice lists: gaps (0 = adjacent slices) and lengths, and a window. */
    record SliceList(List<long[]> slices, long window) {
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("window " + window + ", slices");
            for (long[] s : slices) {
                sb.append(" [").append(s[0]).append(", ").append(s[1]).append(')');
            }
            return sb.toString();
        }
    }

    @Provide
    Arbitrary<SliceList> sliceLists() {
        Arbitrary<long[]> gapAndLength = Combinators.combine(
                        Arbitraries.frequencyOf(
                                net.jqwik.api.Tuple.of(1, Arbitraries.just(0L)),
                                net.jqwik.api.Tuple.of(3, Arbitraries.longs().between(0, 40))),
                        Arbitraries.longs().between(1, 25))
                .as((g, l) -> new long[] {g, l});
        return Combinators.combine(
                        Arbitraries.longs().between(0, 30),
                        gapAndLength.list().ofMaxSize(40),
                        Arbitraries.longs().between(1, 60))
                .as((origin, gl, window) -> {
                    List<long[]> slices = new ArrayList<>();
                    long t = origin;
                    for (long[] x : gl) {
                        t += x[0];
                        slices.add(new long[] {t, t + x[1]});
                        t += x[1];
                    }
                    return new SliceList(slices, window);
                });
    }

    /**
     * WindowUsage, fed the slices one by one and finished, reports the largest usage of any window of
     * its length, computed by brute force over every integer window start (every slice boundary is an
     * integer, so the maximum is at one). The brute force also pins the test helper
     * {@link Timeline#maxWindow} used above.
     *
     * <p>And the running value is exact too: right after slice k is added, max() is the largest usage
     * of a window that ends by slice k's end. (Usage in [x, x + L) has slope [x + L in a slice] -
     * [x in a slice], so the best such window can slide, never losing usage, until it ends at a slice
     * end: those are the windows add() evaluates. By the mirror argument the windows starting at slice
     * starts also reach the overall maximum, which finish() evaluates; so a bug in either family is
     * repaired by the other by the end of the run, and only the running value shows it.)
     */
    @Property(tries = 400)
    void windowUsageMaxEqualsTheBruteForceMaximum(@ForAll("sliceLists") SliceList list) {
        WindowUsage wu = new WindowUsage(list.window());
        long w = list.window();
        long bruteSoFar = 0;
        long lastEnd = Long.MIN_VALUE;
        for (int k = 0; k < list.slices().size(); k++) {
            long[] s = list.slices().get(k);
            wu.add(s[0], s[1]);
            // windows [x, x + w) ending in (previous end, this end], over all slices so far
            List<long[]> soFar = list.slices().subList(0, k + 1);
            for (long y = Math.max(lastEnd + 1, s[0]); y <= s[1]; y++) {
                bruteSoFar = Math.max(bruteSoFar, usage(soFar, y - w, y));
            }
            lastEnd = s[1];
            assertThat(wu.max()).as("running max after slice %d of %s", k, list).isEqualTo(bruteSoFar);
        }
        long brute = bruteForceMax(list.slices(), w);
        assertThat(wu.max()).as("WindowUsage max for %s", list).isEqualTo(brute);
        assertThat(wu.total()).isEqualTo(list.slices().stream().mapToLong(s -> s[1] - s[0]).sum());
        assertThat(new Timeline(list.slices()).maxWindow(w)).as("Timeline.maxWindow for %s", list).isEqualTo(brute);
    }

    /** Execution in [x, y) by summing every slice's overlap: slow and obviously right. */
    private static long usage(List<long[]> slices, long x, long y) {
        long used = 0;
        for (long[] s : slices) {
            used += Math.max(0, Math.min(s[1], y) - Math.max(s[0], x));
        }
        return used;
    }

    private static long bruteForceMax(List<long[]> slices, long window) {
        if (slices.isEmpty()) {
            return 0;
        }
        long max = 0;
        for (long x = slices.getFirst()[0] - window; x <= slices.getLast()[1]; x++) {
            max = Math.max(max, usage(slices, x, x + window));
        }
        return max;
    }
}
