package dev.questj.kernel;

import java.util.Arrays;

/**
 * The largest execution time of a VCPU in any window of a fixed length, computed online from its
 * slices (which arrive in time order and do not overlap).
 *
 * <p>Only windows that end at a slice's end need evaluating. Take a best window [x, x + L): while
 * its end lies inside a slice, moving it right gains at the end at least what it loses at the start,
 * until the end reaches that slice's end; while its end lies in a gap, moving it left loses nothing
 * at the end and gains or keeps at the start, until the end reaches the previous slice's end. Either
 * way a window ending at a slice end does at least as well. So each arriving slice evaluates one
 * window, and slices that end before the next window can begin are dropped: amortised O(1).
 */
public final class WindowUsage {
    private final long window;
    private long[] starts = new long[16];
    private long[] ends = new long[16];
    /** Total usage before each slice. */
    private long[] before = new long[16];
    private int first;
    private int count;
    private long total;
    private long max;

    public WindowUsage(long window) {
        if (window <= 0) {
            throw new IllegalArgumentException("window must be positive");
        }
        this.window = window;
    }

    public long window() {
        return window;
    }

    /** The largest usage seen in any window so far. */
    public long max() {
        return max;
    }

    public long total() {
        return total;
    }

    public void add(long start, long end) {
        if (end <= start) {
            return;
        }
        append(start, end);
        long from = end - window;
        dropEndingBy(from);
        max = Math.max(max, total - usageBefore(from));
    }

    private void append(long start, long end) {
        if (first + count == starts.length) {
            compactOrGrow();
        }
        int i = first + count;
        starts[i] = start;
        ends[i] = end;
        before[i] = total;
        count++;
        total += end - start;
    }

    private void compactOrGrow() {
        if (first > 0) {
            System.arraycopy(starts, first, starts, 0, count);
            System.arraycopy(ends, first, ends, 0, count);
            System.arraycopy(before, first, before, 0, count);
            first = 0;
        }
        if (count == starts.length) {
            int n = starts.length * 2;
            starts = Arrays.copyOf(starts, n);
            ends = Arrays.copyOf(ends, n);
            before = Arrays.copyOf(before, n);
        }
    }

    /** Drops slices that end at or before {@code horizon}: no later window reaches them. */
    private void dropEndingBy(long horizon) {
        while (count > 1 && ends[first] <= horizon) {
            first++;
            count--;
        }
    }

    /** Total usage in [0, x), for x at or after the last drop's horizon. */
    private long usageBefore(long x) {
        return ends[first] <= x ? total : before[first] + Math.max(0, x - starts[first]);
    }
}
