package dev.questj.sim;

/** Named tie-break priorities for events at the same instant; lower runs first. */
public final class Priority {
    private Priority() {}

    /** Fault injection and run control act before anything else that instant, as an outside observer would. */
    public static final int CONTROL = 0;
    /** Devices and releases make work visible before any scheduler looks at that instant. */
    public static final int RELEASE = 10;
    /** Inter-processor interrupts are delivered after the work they announce exists. */
    public static final int IPI = 20;
    /** Timer expiries (budget, quantum, replenishment) run after all arrivals of the instant, so one
     * scheduling pass sees them all. */
    public static final int TIMER = 30;
    /** Deferred scheduling passes run last: after every arrival and expiry of the instant. */
    public static final int SCHEDULE = 40;
    /** Observation (sampling, end of run) sees the state the instant settled into. */
    public static final int OBSERVE = 100;
}
