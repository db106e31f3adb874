package dev.questj.machine;

import java.util.List;
import java.util.SplittableRandom;

/** When packets arrive at a NIC, with their sizes and ports; drawn from the NIC's own stream. */
public interface PacketSource {
    /** The next packet after one at {@code last} (or the first, with {@code last} = -1): fills {@code out} = {time, size, port}; false when none. */
    boolean next(long last, SplittableRandom random, long[] out);

    PacketSource NONE = (last, random, out) -> false;

    static PacketSource periodic(long interval, long size, int port) {
        return (last, random, out) -> fill(out, last < 0 ? interval : last + interval, size, port);
    }

    /** Exponential gaps of mean {@code meanGapCycles} (a Poisson process). */
    static PacketSource poisson(double meanGapCycles, long size, int port) {
        return (last, random, out) -> fill(out, Math.max(0, last) + exponential(random, meanGapCycles), size, port);
    }

    /** Poisson at the given mean gap during each on-period of {@code on} cycles, nothing during {@code off}. */
    static PacketSource bursty(double meanGapCycles, long on, long off, long size, int port) {
        long cycle = on + off;
        return (last, random, out) -> {
            long t = Math.max(0, last) + exponential(random, meanGapCycles);
            if (t % cycle >= on) {
                t = (t / cycle + 1) * cycle; // the next burst starts
            }
            return fill(out, t, size, port);
        };
    }

    /** Packets at given times (sorted); each element {time, size, port}. */
    static PacketSource trace(List<long[]> packets) {
        return new PacketSource() {
            private int next;

            @Override
            public boolean next(long last, SplittableRandom random, long[] out) {
                if (next >= packets.size()) {
                    return false;
                }
                long[] p = packets.get(next++);
                return fill(out, p[0], p[1], (int) p[2]);
            }
        };
    }

    private static long exponential(SplittableRandom random, double mean) {
        return Math.max(1, Math.round(-mean * Math.log(1.0 - random.nextDouble())));
    }

    private static boolean fill(long[] out, long time, long size, int port) {
        out[0] = time;
        out[1] = size;
        out[2] = port;
        return true;
    }
}
