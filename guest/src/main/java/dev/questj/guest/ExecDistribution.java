package dev.questj.guest;

import java.util.SplittableRandom;

/** Execution time of a job, in cycles, drawn from the thread's own stream. Always at least 1. */
@FunctionalInterface
public interface ExecDistribution {
    long draw(SplittableRandom random);

    static ExecDistribution constant(long cycles) {
        requirePositive(cycles, "execution time");
        return r -> cycles;
    }

    static ExecDistribution uniform(long min, long max) {
        requirePositive(min, "minimum execution time");
        if (max < min) {
            throw new IllegalArgumentException("uniform execution time: max " + max + " < min " + min);
        }
        return min == max ? r -> min : r -> r.nextLong(min, max + 1);
    }

    /** Normal with mean and standard deviation, clamped to [min, max]. */
    static ExecDistribution normal(long mean, long sd, long min, long max) {
        requirePositive(min, "minimum execution time");
        if (max < min) {
            throw new IllegalArgumentException("normal execution time: max " + max + " < min " + min);
        }
        return r -> Math.clamp(Math.round(mean + sd * gaussian(r)), min, max);
    }

    /** Box-Muller on the given stream: the JDK's nextGaussian is not specified to be stable across versions. */
    private static double gaussian(SplittableRandom r) {
        double u1 = 1.0 - r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    private static void requirePositive(long v, String what) {
        if (v <= 0) {
            throw new IllegalArgumentException(what + " must be positive, got " + v + " cycles");
        }
    }
}
