package dev.questj.guest;

import java.util.List;

/**
 * A faulty or malicious thread: at a Poisson rate it stores to a random address in one of its
 * target regions (own, other-sandboxes, monitor, ept, kernel-text). What stops it, if anything, is
 * the MMU, the EPT and the monitors: it learns the outcome and carries on.
 */
public final class WildWriter implements Guest {
    private final double meanGap;
    private final List<String> targets;
    private boolean slept;
    private long blocked;
    private long landed;
    private boolean accessed;

    public WildWriter(double meanGapCycles, List<String> targets) {
        if (meanGapCycles <= 0 || targets.isEmpty()) {
            throw new IllegalArgumentException("wild-writer: a positive rate and at least one target");
        }
        this.meanGap = meanGapCycles;
        this.targets = List.copyOf(targets);
    }

    @Override
    public void next(GuestContext ctx) {
        if (accessed) {
            accessed = false;
            if (ctx.lastStatus() == GuestContext.STATUS_OK) {
                landed++;
            } else {
                blocked++;
            }
        }
        if (!slept) {
            slept = true;
            long gap = Math.max(1, Math.round(-meanGap * Math.log(1.0 - ctx.random().nextDouble())));
            ctx.sleepUntil(ctx.now() + gap);
            return;
        }
        slept = false;
        String target = targets.get(ctx.random().nextInt(targets.size()));
        long address = ctx.addressIn(target);
        if (address < 0) {
            ctx.compute(1);
            return;
        }
        accessed = true;
        ctx.access(address, true);
    }

    public long blocked() {
        return blocked;
    }

    public long landed() {
        return landed;
    }
}
