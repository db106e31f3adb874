package dev.questj.guest;

import java.util.Map;
import java.util.SplittableRandom;

/** The calls a Java guest program makes. Times are cycles; helpers convert from seconds. */
public interface GuestApi {
    /** Uses the CPU for {@code cycles} cycles of execution (blocks in simulated time until done). */
    void compute(long cycles);

    /** Blocks until simulated time {@code time}. */
    void sleepUntil(long time);

    /**
     * Ends the current job (if any) and blocks until the next release of the thread's period; the
     * first job is released when the program starts. Needs a {@code period} in the thread's config.
     */
    void waitForNextPeriod();

    /**
     * An I/O request to {@code device} ({@code op}: read, write or transmit) of {@code bytes}; blocks
     * until it completes (its bottom half has run on the device's I/O VCPU).
     */
    void io(String device, String op, long bytes);

    /** Blocks until a packet arrives on {@code port} of NIC {@code device}; returns when it reached the NIC (cycles). */
    long receive(String device, int port);

    /** The current simulated time, in cycles. */
    long now();

    /** A line in the run's log. */
    void log(String message);

    /** The thread's own seeded random stream. */
    SplittableRandom random();

    /** The {@code args} mapping of the thread's config. */
    Map<String, String> args();

    long cyclesPerSecond();

    default long micros(double us) {
        return Math.round(us * cyclesPerSecond() / 1e6);
    }

    default long millis(double ms) {
        return Math.round(ms * cyclesPerSecond() / 1e3);
    }
}
