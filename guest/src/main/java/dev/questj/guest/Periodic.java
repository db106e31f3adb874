package dev.questj.guest;

/**
 * A periodic task: job k is released at offset + k * period, computes a drawn execution time and is
 * due {@code deadline} after its release. A late job delays the next ones (they run back to back),
 * as a periodic thread does.
 */
public final class Periodic implements Guest {
    private final long period;
    private final long deadline;
    private final ExecDistribution exec;
    /** Release time of the next job to start (or of the running one while {@code inJob}). */
    private long release;
    private boolean inJob;

    public Periodic(long period, long deadline, ExecDistribution exec, long offset) {
        if (period <= 0 || deadline <= 0 || offset < 0) {
            throw new IllegalArgumentException("periodic: period and deadline must be positive, offset not negative");
        }
        this.period = period;
        this.deadline = deadline;
        this.exec = exec;
        this.release = offset;
    }

    @Override
    public void next(GuestContext ctx) {
        if (inJob) {
            ctx.completeJob();
            inJob = false;
            release += period;
        }
        if (release > ctx.now()) {
            ctx.sleepUntil(release);
            return;
        }
        inJob = true;
        ctx.releaseJob(release, release + deadline);
        ctx.compute(exec.draw(ctx.random()));
    }

    @Override
    public void finish(GuestContext ctx) {
        long next = inJob ? release + period : release;
        for (long r = next; r < ctx.now(); r += period) {
            ctx.releaseJob(r, r + deadline);
        }
    }
}
