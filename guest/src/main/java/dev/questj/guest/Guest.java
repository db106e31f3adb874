package dev.questj.guest;

/**
 * A guest thread's behaviour as a state machine: no Java thread of its own. The kernel calls
 * {@link #next} whenever the previous action is done (and once at the start), and the guest answers
 * by calling exactly one action method of the context.
 */
public interface Guest {
    void next(GuestContext ctx);

    /**
     * The run [0, end) ends at {@code ctx.now()}: release the jobs that fell due before it but were not started yet, so
     * that they count (and, past their deadline, count as missed). No action may be chosen here.
     */
    default void finish(GuestContext ctx) {}

    /** Frees what the guest holds (a Java program's virtual thread). */
    default void close() {}
}
