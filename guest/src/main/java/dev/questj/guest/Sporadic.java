package dev.questj.guest;

/**
 * A sporadic task: releases at least {@code minInterarrival} apart, plus a uniform random extra delay
 * in [0, maxExtra]; each job computes a drawn execution time, due {@code deadline} after release.
 */
public final class Sporadic implements Guest {
    private final long minInterarrival;
    private final long maxExtra;
    private final long deadline;
    private final ExecDistribution exec;
    private long release;
    private boolean inJob;

    public Sporadic(long minInterarrival, long maxExtra, long deadline, ExecDistribution exec, long offset) {
        if (minInterarrival <= 0 || maxExtra < 0 || deadline <= 0 || offset < 0) {
            throw new IllegalArgumentException("sporadic: minInterarrival and deadline must be positive");
        }
        this.minInterarrival = minInterarrival;
        this.maxExtra = maxExtra;
        this.deadline = deadline;
        this.exec = exec;
        this.release = offset;
    }

    @Override
    public void next(GuestContext ctx) {
        if (inJob) {
            ctx.completeJob();
            inJob = false;
            release = nextRelease(ctx);
        }
        if (release > ctx.now()) {
            ctx.sleepUntil(release);
            return;
        }
        inJob = true;
        ctx.releaseJob(release, release + deadline);
        ctx.compute(exec.draw(ctx.random()));
    }

    private long nextRelease(GuestContext ctx) {
        long extra = maxExtra == 0 ? 0 : ctx.random().nextLong(maxExtra + 1);
        return release + minInterarrival + extra;
    }

    @Override
    public void finish(GuestContext ctx) {
        if (!inJob && release < ctx.now()) {
            ctx.releaseJob(release, release + deadline);
        }
    }
}
