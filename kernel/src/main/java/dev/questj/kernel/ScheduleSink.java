package dev.questj.kernel;

/**
 * Receives what the kernel did, in time order per core: execution slices and notable events.
 *
 * <p>Every method but {@link #slice(int, Vcpu, KThread, long, long)} has an empty default, so a sink
 * implements only what it wants, and the kernel's hooks cost a call and nothing else (no allocation,
 * no string building) when the sink is {@link #NONE}. A sink that forwards to others (a tee, a
 * filter) must override every method; a test checks the ones in the system module do.
 */
public interface ScheduleSink {
    /** {@code thread} of {@code vcpu} ran on PCPU {@code pcpu} during [start, end) cycles. */
    void slice(int pcpu, Vcpu vcpu, KThread thread, long start, long end);

    /**
     * A bottom-half slice: {@code thread} of I/O VCPU {@code vcpu} ran while serving a request of
     * thread {@code served}.
     */
    default void slice(int pcpu, Vcpu vcpu, KThread thread, KThread served, long start, long end) {
        slice(pcpu, vcpu, thread, start, end);
    }

    /** Something happened at {@code time}: {@code kind} is a short word ("fault", "miss", ...). */
    default void event(long time, int pcpu, String kind, Vcpu vcpu, KThread thread, String detail) {}

    /**
     * A slice of {@code thread} on {@code vcpu} starts on PCPU {@code pcpu} at {@code start}, with
     * {@code budget} cycles of the VCPU's budget available (after update-budget). Its end is reported
     * by {@link #slice} when it closes.
     */
    default void sliceStart(int pcpu, Vcpu vcpu, KThread thread, long start, long budget) {}

    /**
     * {@code thread} released a job at {@code release} due at {@code deadline} ({@code Long.MAX_VALUE}:
     * no deadline). Reported when the guest releases it, so a backlog released late carries its
     * earlier release time.
     */
    default void release(long release, int pcpu, Vcpu vcpu, KThread thread, long deadline) {}

    /** {@code thread} issued an I/O request of {@code bytes} to {@code device} at {@code time}. */
    default void ioRequest(long time, int pcpu, Vcpu vcpu, KThread thread, String device, String op, long bytes) {}

    ScheduleSink NONE = (pcpu, vcpu, thread, start, end) -> {};
}
