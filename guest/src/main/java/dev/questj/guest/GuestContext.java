package dev.questj.guest;

import java.util.SplittableRandom;

/**
 * What the kernel offers a guest when it asks for the guest's next action. A {@link Guest} calls
 * exactly one of {@link #compute}, {@link #sleepUntil} or {@link #exit} per {@link Guest#next} call;
 * the job and log calls may be made any number of times. Times are cycles.
 */
public interface GuestContext {
    /** The current simulated time, in cycles. */
    long now();

    /** Cycles per second of the machine, for guests that think in seconds. */
    long cyclesPerSecond();

    /** The thread's own seeded random stream. */
    SplittableRandom random();

    /** Next action: use the CPU for {@code cycles} (> 0) cycles of execution. */
    void compute(long cycles);

    /** Next action: block until {@code time}; a time not after now just continues. */
    void sleepUntil(long time);

    /**
     * Next action: an I/O request to {@code device} ({@code op}: read, write or transmit) moving
     * {@code bytes}; the thread blocks until the request completes.
     */
    void io(String device, String op, long bytes);

    /**
     * Next action: take the next packet that arrived on {@code port} of NIC {@code device}, blocking
     * until there is one.
     */
    void receive(String device, int port);

    /**
     * After {@link #receive}: when the packet arrived at the NIC; after {@link #io}: when the request
     * was issued. In cycles.
     */
    long lastIoStart();

    /** Next action: the thread ends. */
    void exit();

    /** A job became due at {@code release}, to complete by {@code absoluteDeadline}. Jobs complete FIFO. */
    void releaseJob(long release, long absoluteDeadline);

    /** The oldest released job is complete now. */
    void completeJob();

    /** A line for the run's log, stamped with the time and the thread. */
    void log(String message);

    /** The guest did something illegal: the kernel records the fault and ends the thread. */
    void fault(String reason);
}
