package dev.questj.kernel;

/** Receives what the kernel did, in time order per core: execution slices and notable events. */
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

    ScheduleSink NONE = (pcpu, vcpu, thread, start, end) -> {};
}
