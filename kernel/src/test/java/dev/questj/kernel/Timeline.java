package dev.questj.kernel;

import java.util.ArrayList;
import java.util.List;

/**
 * The execution of one VCPU (or thread) as a step function of time, for brute-force checks: sorted,
 * disjoint intervals [start, end) with adjacent ones merged, and the execution before each one, so
 * that "how much ran in [x, y)" is a binary search. Deliberately independent of {@link WindowUsage}:
 * it keeps every interval and answers any query exactly.
 */
final class Timeline {
    private final long[] starts;
    private final long[] ends;
    /** Execution before interval i. */
    private final long[] before;
    private final long total;

    /** From intervals {start, end} in time order, non-overlapping (throws otherwise). */
    Timeline(List<long[]> intervals) {
        List<long[]> merged = new ArrayList<>();
        for (long[] iv : intervals) {
            if (iv[1] <= iv[0]) {
                throw new IllegalArgumentException("empty or inverted interval [" + iv[0] + ", " + iv[1] + ")");
            }
            if (!merged.isEmpty()) {
                long[] last = merged.getLast();
                if (iv[0] < last[1]) {
                    throw new IllegalArgumentException("overlapping or unordered intervals: [" + last[0] + ", " + last[1] + ") then [" + iv[0] + ", " + iv[1] + ")");
                }
                if (iv[0] == last[1]) {
                    last[1] = iv[1];
                    continue;
                }
            }
            merged.add(new long[] {iv[0], iv[1]});
        }
        int n = merged.size();
        starts = new long[n];
        ends = new long[n];
        before = new long[n];
        long sum = 0;
        for (int i = 0; i < n; i++) {
            starts[i] = merged.get(i)[0];
            ends[i] = merged.get(i)[1];
            before[i] = sum;
            sum += ends[i] - starts[i];
        }
        total = sum;
    }

    static Timeline ofSlices(List<RecordingSink.Slice> slices) {
        return new Timeline(slices.stream().map(s -> new long[] {s.start(), s.end()}).toList());
    }

    long total() {
        return total;
    }

    int size() {
        return starts.length;
    }

    long start(int i) {
        return starts[i];
    }

    long end(int i) {
        return ends[i];
    }

    /** The merged intervals, as {start, end} pairs. */
    List<List<Long>> intervals() {
        List<List<Long>> out = new ArrayList<>();
        for (int i = 0; i < starts.length; i++) {
            out.add(List.of(starts[i], ends[i]));
        }
        return out;
    }

    /** The index of the first interval starting after {@code t} (size() if none). */
    int firstStartAfter(long t) {
        return firstAbove(starts, t);
    }

    /** The index of the first interval ending after {@code t} (size() if none). */
    int firstEndAfter(long t) {
        return firstAbove(ends, t);
    }

    private static int firstAbove(long[] sorted, long t) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Execution in (-inf, t). */
    long before(long t) {
        int lo = firstEndAfter(t);
        if (lo == starts.length) {
            return total;
        }
        return before[lo] + Math.max(0, t - starts[lo]);
    }

    /** Execution in [x, y). */
    long usage(long x, long y) {
        return y <= x ? 0 : before(y) - before(x);
    }

    /** The instant at which the p-th executed cycle (0-based) starts; p < total. */
    long cycleStart(long p) {
        int i = intervalHolding(p);
        return starts[i] + (p - before[i]);
    }

    /** The instant at which execution reaches q cycles (the end of cycle q - 1); 1 <= q <= total. */
    long reached(long q) {
        int i = intervalHolding(q - 1);
        return starts[i] + (q - before[i]);
    }

    private int intervalHolding(long p) {
        if (p < 0 || p >= total) {
            throw new IllegalArgumentException("cycle " + p + " outside the " + total + " executed");
        }
        int lo = 0;
        int hi = starts.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (before[mid] <= p) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /**
     * The largest execution in any window [x, x + length). Usage as a function of x is piecewise
     * linear with breakpoints where x or x + length crosses an interval boundary, so the maximum is at
     * a window starting at an interval's start or ending at an interval's end; both are tried.
     */
    long maxWindow(long length) {
        long max = 0;
        for (int i = 0; i < starts.length; i++) {
            max = Math.max(max, usage(starts[i], starts[i] + length));
            max = Math.max(max, usage(ends[i] - length, ends[i]));
        }
        return max;
    }

    /** The window [x, x + length) with the largest execution (its start). */
    long argMaxWindow(long length) {
        long max = -1;
        long arg = 0;
        for (int i = 0; i < starts.length; i++) {
            long a = usage(starts[i], starts[i] + length);
            if (a > max) {
                max = a;
                arg = starts[i];
            }
            long b = usage(ends[i] - length, ends[i]);
            if (b > max) {
                max = b;
                arg = ends[i] - length;
            }
        }
        return arg;
    }
}
