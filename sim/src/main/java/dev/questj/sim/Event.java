package dev.questj.sim;

/**
 * Something that happens at an instant of simulated time.
 *
 * <p>Events are mutable and reusable: a component owns its events (a PCPU owns its timer event, a
 * thread its release event) and re-arms them, so the hot path allocates nothing. An event is in at
 * most one queue at a time; {@link EventQueue} keeps its position so that cancelling is O(log n).
 */
public abstract class Event {
    /** When it fires, in cycles; valid only while scheduled. */
    long time;
    /** Tie-break between events at the same instant: lower runs first (see {@link Priority}). */
    int priority;
    /** The tie-break key the queue assigned: priority, then its insertion sequence (equal (time, priority) run FIFO). */
    long sequence;
    /** Index in the queue's heap, or -1 when not scheduled. */
    int heapIndex = -1;

    protected Event(int priority) {
        this.priority = priority;
    }

    /** Runs the event; {@code now} is its time. */
    public abstract void fire(long now);

    public final boolean isScheduled() {
        return heapIndex >= 0;
    }

    /** The instant it is scheduled for; meaningful only while {@link #isScheduled()}. */
    public final long time() {
        return time;
    }

    public final int priority() {
        return priority;
    }

    /** A one-off event from a lambda; allocates, so keep it off the hot path. */
    public static Event of(int priority, Action action) {
        return new Event(priority) {
            @Override
            public void fire(long now) {
                action.run(now);
            }
        };
    }

    /** The body of a lambda event. */
    @FunctionalInterface
    public interface Action {
        void run(long now);
    }
}
