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

    /**
     * Sends {@code message} (its bytes, up to 240 on a ring channel) on {@code channel}; true when the
     * channel took it, false when a ring was full (nothing is lost silently: the caller decides).
     */
    default boolean send(String channel, byte[] message) {
        throw new UnsupportedOperationException("send is not offered here");
    }

    /**
     * Takes the next message from {@code channel}: on a ring, blocks until one comes; on a four-slot
     * channel, the latest value, or null when nothing new was written since the last read.
     */
    default byte[] receiveMessage(String channel) {
        throw new UnsupportedOperationException("receiveMessage is not offered here");
    }

    /** Takes the next message from {@code channel} if one is there now, without blocking; else null. */
    default byte[] pollMessage(String channel) {
        throw new UnsupportedOperationException("pollMessage is not offered here");
    }

    /**
     * Quest-V: ends the current job (as {@link #waitForNextPeriod} does), asks to move this thread to
     * sandbox {@code sandbox}, and returns at the start of the next period with the next job released:
     * true when it then runs in {@code sandbox}, false when the move was refused (it runs on where it
     * was; the reason is in the run's log and metrics.json {@code migrations}). Needs a {@code period}
     * in the thread's config. See {@link GuestContext#migrate}.
     */
    default boolean migrate(String sandbox) {
        throw new UnsupportedOperationException("migrate is not offered here");
    }

    /** See {@link GuestContext#returned}: messages sent on {@code channel} and given back, not delivered. */
    default long returned(String channel) {
        return 0;
    }

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
