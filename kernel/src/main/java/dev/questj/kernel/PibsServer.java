package dev.questj.kernel;

import java.util.Collections;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * An I/O VCPU's budget: a priority-inheritance bandwidth-preserving server (PIBS), exactly as
 * QUEST-ALGORITHMS.md section 3 gives it, with its correction (the clamp when the period drops).
 *
 * <p>State: utilisation U = num / den, eligibility time e, at most one pending replenishment
 * r = (t, a), the flag {@code budgeted}, budget b, usage u and the inherited period T.
 * Cmax = floor(T * U) for the current T. The advance of e by u / U is rounded up, so rounding never
 * hands out more than U.
 *
 * <p>Guarantee (checked by the property tests): in every prefix [0, y) the I/O VCPU uses at most
 * U * y + Cmax(Tmax); on admitted systems, at most U * L + 2 Cmax in any window of length L.
 */
public final class PibsServer implements BudgetServer {
    private static final int MAX_PERIODS_RECORDED = 64;

    private final long num;
    private final long den;
    private long eligibility;
    private boolean replenishmentPending;
    private long replenishmentTime;
    private long replenishmentAmount;
    private boolean budgeted;
    private long budget;
    private long usage;
    private long period;
    private long longestPeriod;
    private final TreeSet<Long> periodsSeen = new TreeSet<>();

    /**
     * @param num           utilisation numerator
     * @param den           utilisation denominator (U = num / den, in (0, 1])
     * @param initialPeriod T until the first interrupt replaces it (never matters for budgets)
     */
    public PibsServer(long num, long den, long initialPeriod) {
        if (num <= 0 || den <= 0 || num > den) {
            throw new IllegalArgumentException("I/O VCPU utilisation must be in (0, 1], got " + num + "/" + den);
        }
        if (initialPeriod <= 0) {
            throw new IllegalArgumentException("period must be positive");
        }
        this.num = num;
        this.den = den;
        this.period = initialPeriod;
    }

    /** Cmax = floor(T * U) for the current period. */
    public long cmax() {
        return Math.multiplyExact(period, num) / den;
    }

    public double utilisation() {
        return num / (double) den;
    }

    @Override
    public long budget() {
        return budget;
    }

    @Override
    public long period() {
        return period;
    }

    public long eligibility() {
        return eligibility;
    }

    public boolean isBudgeted() {
        return budgeted;
    }

    public boolean hasReplenishment() {
        return replenishmentPending;
    }

    public long replenishmentTime() {
        return replenishmentTime;
    }

    public long replenishmentAmount() {
        return replenishmentAmount;
    }

    public long usage() {
        return usage;
    }

    /** The longest period inherited so far (Tmax of the prefix bound). */
    public long longestPeriod() {
        return longestPeriod;
    }

    /** The distinct periods inherited, ascending (at most 64 kept). */
    public NavigableSet<Long> periodsSeen() {
        return Collections.unmodifiableNavigableSet(periodsSeen);
    }

    @Override
    public void endOfTimeslice(long now, long delta, boolean blocked) {
        budget -= Math.min(budget, delta);
        usage += delta;
        if (!blocked && budget != 0) {
            return;
        }
        eligibility += Math.ceilDiv(Math.multiplyExact(usage, den), num);
        if (replenishmentPending) {
            replenishmentTime = eligibility;
        } else {
            setReplenishment(eligibility, cmax());
        }
        usage = 0;
        budget = 0;
        if (blocked) {
            budgeted = false;
        }
    }

    @Override
    public void updateBudget(long now) {
        if (replenishmentPending && replenishmentTime <= now) {
            budget = replenishmentAmount;
            replenishmentPending = false;
        }
    }

    @Override
    public long nextEvent(long now) {
        return replenishmentPending && replenishmentTime > now ? replenishmentTime : Long.MAX_VALUE;
    }

    /** Nothing: an I/O VCPU's wake-up is handled by {@link #onInterrupt}, which knows the requester. */
    @Override
    public void unblock(long now) {}

    /**
     * An interrupt handled on behalf of a Main VCPU of period {@code requesterPeriod}.
     *
     * @param idle whether the I/O VCPU was neither running nor runnable
     * @return whether the period changed (the scheduler must re-rank)
     */
    public boolean onInterrupt(long now, long requesterPeriod, boolean idle) {
        long old = period;
        period = idle ? requesterPeriod : Math.min(period, requesterPeriod);
        recordPeriod(period);
        if (period < old) {
            clampToCmax();
        }
        if (idle && !budgeted) {
            eligibility = Math.max(eligibility, now);
            if (replenishmentPending) {
                replenishmentAmount = cmax();
            } else {
                setReplenishment(eligibility, cmax());
            }
            budgeted = true;
        }
        return period != old;
    }

    /** Section 3's correction: a budget granted at a longer period is not spent at a shorter period's priority. */
    private void clampToCmax() {
        long c = cmax();
        budget = Math.min(budget, c);
        if (replenishmentPending) {
            replenishmentAmount = c;
        }
    }

    private void setReplenishment(long t, long a) {
        replenishmentPending = true;
        replenishmentTime = t;
        replenishmentAmount = a;
    }

    private void recordPeriod(long p) {
        longestPeriod = Math.max(longestPeriod, p);
        if (periodsSeen.size() < MAX_PERIODS_RECORDED || periodsSeen.contains(p)) {
            periodsSeen.add(p);
        }
    }

    @Override
    public String toString() {
        return "PIBS(U=" + num + "/" + den + ", T=" + period + ", e=" + eligibility + ", r="
                + (replenishmentPending ? "(" + replenishmentTime + ", " + replenishmentAmount + ")" : "-")
                + ", b=" + budget + ", u=" + usage + ", budgeted=" + budgeted + ")";
    }
}
