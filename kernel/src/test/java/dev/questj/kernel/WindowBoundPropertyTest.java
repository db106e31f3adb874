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
     * integer, so the maximum is at one); and its running maximum never exceeds the final one.
     * The brute force also pins the test helper {@link Timeline#maxWindow} used above.
     */
    @Property(tries = 400)
    void windowUsageMaxEqualsTheBruteForceMaximum(@ForAll("sliceLists") SliceList list) {
        WindowUsage wu = new WindowUsage(list.window());
        List<Long> running = new ArrayList<>();
        for (long[] s : list.slices()) {
            wu.add(s[0], s[1]);
            running.add(wu.max());
        }
        wu.finish();
        long brute = bruteForceMax(list.slices(), list.window());
        assertThat(wu.max()).as("WindowUsage max for %s", list).isEqualTo(brute);
        assertThat(running).as("running max before finish").allSatisfy(m -> assertThat(m).isLessThanOrEqualTo(brute));
        assertThat(wu.total()).isEqualTo(list.slices().stream().mapToLong(s -> s[1] - s[0]).sum());
        assertThat(new Timeline(list.slices()).maxWindow(list.window())).as("Timeline.maxWindow for %s", list).isEqualTo(brute);
    }

    private static long bruteForceMax(List<long[]> slices, long window) {
        if (slices.isEmpty()) {
            return 0;
        }
        long max = 0;
        for (long x = slices.getFirst()[0] - window; x <= slices.getLast()[1]; x++) {
            long used = 0;
            for (long[] s : slices) {
                used += Math.max(0, Math.min(s[1], x + window) - Math.max(s[0], x));
            }
            max = Math.max(max, used);
        }
        return max;
    }
}
