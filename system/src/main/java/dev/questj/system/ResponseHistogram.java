package dev.questj.system;

import java.util.Arrays;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * A thread's response times as {@link #BINS} equal bins from its shortest to its longest (cycles):
 * bin i counts the jobs whose response time lies in [from + i x width, from + (i + 1) x width).
 * Built from the kernel's HdrHistogram (3 significant digits), each value kept inside the exact
 * [min, max].
 */
public record ResponseHistogram(long from, long width, long[] counts) {
    public static final int BINS = 40;

    public ResponseHistogram {
        counts = counts.clone();
    }

    @Override
    public long[] counts() {
        return counts.clone();
    }

    public static ResponseHistogram of(Histogram h, long min, long max) {
        long width = Math.max(1, Math.ceilDiv(max - min + 1, BINS));
        int bins = (int) Math.min(BINS, Math.ceilDiv(max - min + 1, width));
        long[] counts = new long[bins];
        for (HistogramIterationValue v : h.recordedValues()) {
            long value = Math.clamp(h.medianEquivalentValue(v.getValueIteratedTo()), min, max);
            counts[(int) ((value - min) / width)] += v.getCountAtValueIteratedTo();
        }
        return new ResponseHistogram(min, width, counts);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResponseHistogram r && r.from == from && r.width == width && Arrays.equals(r.counts, counts);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(from) * 31 + Long.hashCode(width) * 17 + Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return "ResponseHistogram[from=" + from + ", width=" + width + ", counts=" + Arrays.toString(counts) + "]";
    }
}
