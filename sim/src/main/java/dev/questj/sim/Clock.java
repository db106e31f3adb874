package dev.questj.sim;

/**
 * Converts between cycles (the only unit of time inside the simulation) and seconds at the edges:
 * configuration, reports, traces.
 *
 * @param hz the CPU frequency, cycles per second
 */
public record Clock(long hz) {
    public Clock {
        if (hz <= 0) {
            throw new IllegalArgumentException("frequency must be positive, got " + hz + " Hz");
        }
    }

    public double toSeconds(long cycles) {
        return cycles / (double) hz;
    }

    public double toMillis(long cycles) {
        return cycles * 1e3 / hz;
    }

    public double toMicros(long cycles) {
        return cycles * 1e6 / hz;
    }

    /** Nanoseconds to cycles, rounded to the nearest cycle; exact when the product is integral. */
    public long fromNanos(long nanos) {
        return Math.round(nanos * (double) hz / 1e9);
    }

    public long fromSeconds(double seconds) {
        return Math.round(seconds * hz);
    }
}
