package dev.questj.kernel;

/**
 * The budget policy of a fair VCPU (a core of a Quest-Linux sandbox): no budget at all. It always
 * grants the VCPU the whole PCPU; the {@link FairScheduler} shares it among the processes. Its
 * period is only what the VCPU reports and the window of its {@code maxWindowUsage} (the
 * scheduling latency).
 */
final class FairServer implements BudgetServer {
    /** Large enough never to run out, small enough that now + budget cannot overflow. */
    static final long UNLIMITED = Long.MAX_VALUE / 4;

    private final long period;

    FairServer(long period) {
        this.period = period;
    }

    @Override
    public long budget() {
        return UNLIMITED;
    }

    @Override
    public void updateBudget(long now) {}

    @Override
    public long nextEvent(long now) {
        return Long.MAX_VALUE;
    }

    @Override
    public void endOfTimeslice(long now, long delta, boolean blocked) {}

    @Override
    public void unblock(long now) {}

    @Override
    public long period() {
        return period;
    }
}
