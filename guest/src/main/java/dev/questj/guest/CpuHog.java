package dev.questj.guest;

/** Always runnable, never blocks, never finishes: the misbehaving neighbour budgets must contain. */
public final class CpuHog implements Guest {
    /** Computes in long chunks; the chunk length is invisible (the thread never blocks between them). */
    private static final long CHUNK = 1L << 40;

    @Override
    public void next(GuestContext ctx) {
        ctx.compute(CHUNK);
    }
}
