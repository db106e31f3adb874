package dev.questj.kernel;

/**
 * The budget policy of a VCPU: how much it may run now and when that changes. Main VCPUs use
 * {@link SporadicServer}. All times in cycles; the scheduler calls these exactly where
 * QUEST-ALGORITHMS.md section 1 says.
 */
public interface BudgetServer {
    /** The budget b left for the current run, as of the last {@link #updateBudget} or charge. */
    long budget();

    /** Recomputes b from the replenishment state at {@code now}. */
    void updateBudget(long now);

    /** The earliest instant after {@code now} at which the budget may grow, or {@code Long.MAX_VALUE}. */
    long nextEvent(long now);

    /** Charges {@code delta} cycles of execution ending at {@code now}; {@code blocked}: the VCPU has no runnable thread left. */
    void endOfTimeslice(long now, long delta, boolean blocked);

    /** The VCPU wakes up: it was neither running nor runnable. */
    void unblock(long now);

    /** The period that sets the VCPU's rate-monotonic priority (shorter wins). */
    long period();
}
