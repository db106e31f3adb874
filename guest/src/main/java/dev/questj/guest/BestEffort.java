package dev.questj.guest;

/**
 * Background work with no deadline: computes units of a drawn length back to back and counts each
 * finished unit as a job (its "response time" is how long the unit took to get done).
 */
public final class BestEffort implements Guest {
    private final ExecDistribution exec;
    private boolean inJob;

    public BestEffort(ExecDistribution exec) {
        this.exec = exec;
    }

    @Override
    public void next(GuestContext ctx) {
        if (inJob) {
            ctx.completeJob();
        }
        inJob = true;
        ctx.releaseJob(ctx.now(), Long.MAX_VALUE);
        ctx.compute(exec.draw(ctx.random()));
    }
}
