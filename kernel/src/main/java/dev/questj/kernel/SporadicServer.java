package dev.questj.kernel;

/**
 * A Main VCPU's budget: a sporadic server per Stanovich et al. (RTAS 2010) with Quest's corrections,
 * exactly as QUEST-ALGORITHMS.md section 2 gives it.
 *
 * <p>State: capacity C and period T (cycles), usage u, budget b, and the replenishment list R
 * (created with the single entry (now, C)).
 *
 * <p>Invariant: the amounts in R sum to C, R is sorted by time, usage is not negative. Consequences
 * (checked by the property tests): each consumed chunk is re-posted exactly T after the instant it
 * became available; from any instant with the whole budget ahead, the VCPU runs at most C in the
 * next T; in any window of length L it runs at most C * (ceil(L / T) + 1) when not starved.
 *
 * <p>One deliberate generalisation: after an overrun moves the head later, budget-check merges while
 * the head reaches the next entry (section 2 says "if"), so R stays sorted even when the head jumps
 * past more than one entry. With enforced budgets no overrun happens; the two agree whenever one
 * merge suffices.
 */
public final class SporadicServer implements BudgetServer {
    private final long capacity;
    private final long period;
    private final ReplenishmentList list;
    /** Cycles used since the head entry became the current chunk (u). */
    private long usage;
    /** The budget of the current run (b). */
    private long budget;
    /** Optional observer of re-posted chunks, for tests and tracing. */
    private PostObserver observer;

    /** Sees each chunk re-posted: {@code amount} cycles at {@code time}, decided at {@code now}. */
    @FunctionalInterface
    public interface PostObserver {
        void posted(long now, long time, long amount);
    }

    public SporadicServer(long capacity, long period, int maxReplenishments, long now) {
        if (capacity <= 0 || period <= 0 || capacity > period) {
            throw new IllegalArgumentException(
                    "sporadic server needs 0 < budget <= period, got budget " + capacity + " and period " + period + " cycles");
        }
        this.capacity = capacity;
        this.period = period;
        this.list = new ReplenishmentList(maxReplenishments);
        list.insert(now, capacity);
    }

    public void setObserver(PostObserver observer) {
        this.observer = observer;
    }

    public long capacity() {
        return capacity;
    }

    @Override
    public long period() {
        return period;
    }

    public long usage() {
        return usage;
    }

    @Override
    public long budget() {
        return budget;
    }

    /** The replenishment list, read-only by convention (tests and traces). */
    public ReplenishmentList replenishments() {
        return list;
    }

    /** capacity(V): 0 while the head is not yet released, else head.a - u (may be negative after an overrun). */
    public long capacityAt(long now) {
        return isHeadReleased(now) ? list.headAmount() - usage : 0;
    }

    public boolean isHeadReleased(long now) {
        return list.headTime() <= now;
    }

    @Override
    public void updateBudget(long now) {
        budget = Math.max(capacityAt(now), 0);
    }

    @Override
    public long nextEvent(long now) {
        for (int i = 0; i < list.size(); i++) {
            long t = list.time(i);
            if (t > now) {
                return t;
            }
        }
        return Long.MAX_VALUE;
    }

    @Override
    public void endOfTimeslice(long now, long delta, boolean blocked) {
        usage += delta;
        if (capacityAt(now) <= 0) {
            budgetCheck(now);
        }
        if (blocked && capacityAt(now) > 0) {
            splitCheck(now);
        }
        budget = Math.max(capacityAt(now), 0);
    }

    /** Re-posts every fully used chunk one period after it became available; an overrun delays the head. */
    private void budgetCheck(long now) {
        while (isHeadUsedUp()) {
            usage = repostWholeHead(now);
        }
        if (usage > 0) {
            list.setHeadTime(list.headTime() + usage);
            while (list.size() > 1 && list.headTime() + list.headAmount() >= list.time(1)) {
                list.mergeHeadWithSecond();
            }
        }
    }

    private boolean isHeadUsedUp() {
        return list.headAmount() <= usage;
    }

    private long repostWholeHead(long now) {
        long t = list.headTime();
        long a = list.headAmount();
        list.popHead();
        post(now, t + period, a);
        return usage - a;
    }

    /** On block: the used part of the head is re-posted one period after the head became available. */
    private void splitCheck(long now) {
        if (usage <= 0 || !isHeadReleased(now)) {
            return;
        }
        long t = list.headTime();
        long remnant = list.headAmount() - usage;
        if (list.isFull()) {
            list.popHead();
            list.addToAmount(0, remnant);
        } else {
            list.setHeadAmount(remnant);
        }
        post(now, t + period, usage);
        usage = 0;
    }

    @Override
    public void unblock(long now) {
        if (capacityAt(now) <= 0) {
            return; // stays ineligible until the head's time
        }
        list.setHeadTime(now);
        while (list.size() > 1 && list.time(1) <= now + list.headAmount() - usage) {
            list.mergeHeadWithSecond();
        }
    }

    private void post(long now, long time, long amount) {
        list.insert(time, amount);
        if (observer != null) {
            observer.posted(now, time, amount);
        }
    }

    /**
     * The state that travels with a migrating VCPU (QUEST-ALGORITHMS.md section 5): C, T, u, b and
     * the replenishment list, its times on a clock that reads {@code clockOffset} more than the
     * simulator's (the source sandbox's local clock).
     */
    public VcpuState exportState(long clockOffset) {
        long[] times = new long[list.size()];
        long[] amounts = new long[list.size()];
        for (int i = 0; i < times.length; i++) {
            times[i] = Math.addExact(list.time(i), clockOffset);
            amounts[i] = list.amount(i);
        }
        return new VcpuState(capacity, period, usage, budget, times, amounts);
    }

    /**
     * Takes over a migrated VCPU's state, its times on a clock that reads {@code clockOffset} more
     * than the simulator's (the destination sandbox's local clock). The VCPU must be idle (no thread)
     * and have the same budget and period.
     */
    public void importState(VcpuState state, long clockOffset) {
        if (state.capacity() != capacity || state.period() != period) {
            throw new IllegalArgumentException("a VCPU of budget " + state.capacity() + " and period " + state.period()
                    + " cycles cannot take the place of one of budget " + capacity + " and period " + period);
        }
        if (state.times().length > list.capacity()) {
            throw new IllegalArgumentException("replenishment list of " + state.times().length + " entries exceeds "
                    + list.capacity());
        }
        list.clear();
        for (int i = 0; i < state.times().length; i++) {
            list.insert(Math.subtractExact(state.times()[i], clockOffset), state.amounts()[i]);
        }
        usage = state.usage();
        budget = state.budget();
    }

    /** Throws if the invariant does not hold: amounts sum to C, sorted, usage not negative. */
    public void checkInvariants() {
        long sum = list.sum();
        if (sum != capacity) {
            throw new IllegalStateException("replenishments sum to " + sum + " cycles, budget is " + capacity + ": " + list);
        }
        if (!list.isSorted()) {
            throw new IllegalStateException("replenishment list out of order: " + list);
        }
        if (usage < 0) {
            throw new IllegalStateException("negative usage " + usage);
        }
    }

    @Override
    public String toString() {
        return "SS(C=" + capacity + ", T=" + period + ", u=" + usage + ", b=" + budget + ", R=" + list + ")";
    }
}
