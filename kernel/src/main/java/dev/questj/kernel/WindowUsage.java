package dev.questj.kernel;

import java.util.Arrays;

/**
 * The largest execution time of a VCPU in any window of a fixed length, computed online from its
 * slices (which arrive in time order and do not overlap).
 *
 * <p>Usage in [x, x + L) as a function of x rises while x + L is inside a slice and falls while x
 * is inside one, so its maximum is reached by a window that ends at a slice's end or starts at a
 * slice's start. Windows ending at a slice end are evaluated when the slice arrives; windows
 * starting at a slice start once a later slice starts at or after that window's end (or at
 * {@link #finish}). Old slices are dropped as soon as no future window can reach them.
 */
public final class WindowUsage {
    private final long window;
    private long[] starts = new long[16];
    private long[] ends = new long[16];
    /** Total usage before each slice. */
    private long[] before = new long[16];
    private int first;
    private int count;
    /** Index (from {@code first}) of the oldest slice whose start-window is not yet evaluated. */
    private int pending;
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

    /** The largest usage seen in any window so far (final after {@link #finish}). */
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
        evaluateStartWindowsBefore(start);
        append(start, end);
        max = Math.max(max, total - usageBeforeFromFront(end - window));
        dropUnreachable(end - window);
    }

    /** Evaluates the windows that start at slices whose windows are still open. */
    public void finish() {
        evaluateStartWindowsBefore(Long.MAX_VALUE);
    }

    private void evaluateStartWindowsBefore(long bound) {
        while (pending < count && (bound == Long.MAX_VALUE || starts[first + pending] + window <= bound)) {
            int i = first + pending;
            max = Math.max(max, usageBefore(starts[i] + window) - before[i]);
            pending++;
        }
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

    /**
     * Total usage in [0, x) for x at or after the horizon of the last drop: the slices it skips are
     * the ones about to be dropped, so the scan is amortised O(1).
     */
    private long usageBeforeFromFront(long x) {
        int i = first;
        int last = first + count;
        while (i < last && ends[i] <= x) {
            i++;
        }
        return i == last ? total : before[i] + Math.max(0, x - starts[i]);
    }

    /** Total usage in [0, x). */
    private long usageBefore(long x) {
        int lo = first;
        int hi = first + count; // first slice whose end > x
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ends[mid] <= x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        if (lo == first + count) {
            return total;
        }
        return before[lo] + Math.max(0, x - starts[lo]);
    }

    private void dropUnreachable(long horizon) {
        while (count > 1 && pending > 0 && ends[first] <= horizon) {
            first++;
            count--;
            pending--;
        }
    }
}
